package integration

import (
	"archive/zip"
	"bytes"
	"crypto/subtle"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"golang.org/x/mod/sumdb/dirhash"
)

// A private Go module proxy for the tests: the GOPROXY protocol over HTTPS
// (the go command sends credentials only over HTTPS) on 127.0.0.1, behind
// HTTP basic auth. buildkitd runs steps in the host network, so a build's
// download step reaches it like a corporate proxy.

const (
	privateModule  = "goscratch.test/private/greeting"
	privateVersion = "v1.0.0"
)

// privateFiles is the module's content; examples/private/go.sum pins it.
var privateFiles = map[string]string{
	"go.mod":      "module " + privateModule + "\n\ngo 1.21\n",
	"greeting.go": "// Package greeting is served only by the goscratch tests' private proxy.\npackage greeting\n\n// Hello greets from behind basic auth.\nfunc Hello() string { return \"hello from a private module\" }\n",
}

type privateProxy struct {
	srv        *httptest.Server
	user, pass string
	caFile     string // PEM of the server's certificate, for the builder to trust
	netrc      string // a netrc file with the credentials for the server

	mu         sync.Mutex
	authorized int // requests that carried the right credentials
	refused    int // requests without them
}

func startPrivateProxy(t *testing.T) *privateProxy {
	t.Helper()
	p := &privateProxy{user: "gs-user-" + nonce(), pass: "gs-pass-" + nonce() + nonce()}
	p.srv = httptest.NewTLSServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.srv.Close)
	dir := t.TempDir()
	p.caFile = filepath.Join(dir, "ca.pem")
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.srv.Certificate().Raw})
	if err := os.WriteFile(p.caFile, ca, 0o644); err != nil {
		t.Fatal(err)
	}
	p.netrc = filepath.Join(dir, "netrc")
	// the go command matches a netrc machine against the URL's host, port included
	line := fmt.Sprintf("machine %s login %s password %s\n", p.host(), p.user, p.pass)
	if err := os.WriteFile(p.netrc, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p *privateProxy) host() string { return strings.TrimPrefix(p.srv.URL, "https://") }

// needles are what must never appear in anything a build exports.
func (p *privateProxy) needles() map[string]string {
	basic := p.user + ":" + p.pass
	return map[string]string{
		"password":          p.pass,
		"login":             p.user,
		"basic auth header": base64.StdEncoding.EncodeToString([]byte(basic)),
	}
}

func (p *privateProxy) serve(w http.ResponseWriter, r *http.Request) {
	u, pw, ok := r.BasicAuth()
	if !ok || subtle.ConstantTimeCompare([]byte(u+":"+pw), []byte(p.user+":"+p.pass)) != 1 {
		p.mu.Lock()
		p.refused++
		p.mu.Unlock()
		w.Header().Set("WWW-Authenticate", `Basic realm="goscratch test proxy"`)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	p.mu.Lock()
	p.authorized++
	p.mu.Unlock()
	base := "/" + privateModule + "/@v/"
	switch r.URL.Path {
	case base + "list":
		fmt.Fprintln(w, privateVersion)
	case base + privateVersion + ".info", "/" + privateModule + "/@latest":
		fmt.Fprintf(w, `{"Version":%q,"Time":"2026-01-01T00:00:00Z"}`, privateVersion)
	case base + privateVersion + ".mod":
		fmt.Fprint(w, privateFiles["go.mod"])
	case base + privateVersion + ".zip":
		_, _ = w.Write(privateZip()) // the client sees a short read
	default:
		http.NotFound(w, r)
	}
}

func (p *privateProxy) counts() (authorized, refused int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.authorized, p.refused
}

// privateZip is the module zip, files in sorted order under module@version/.
func privateZip() []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range sortedKeys(privateFiles) {
		f, err := zw.Create(privateModule + "@" + privateVersion + "/" + name)
		if err != nil {
			panic(err)
		}
		if _, err := io.WriteString(f, privateFiles[name]); err != nil {
			panic(err)
		}
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// privateGoSum is the go.sum a module requiring the private module needs.
func privateGoSum() (string, error) {
	open := func(content string) func(string) (io.ReadCloser, error) {
		return func(string) (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(content)), nil }
	}
	var names []string
	for _, n := range sortedKeys(privateFiles) {
		names = append(names, privateModule+"@"+privateVersion+"/"+n)
	}
	zipHash, err := dirhash.Hash1(names, func(name string) (io.ReadCloser, error) {
		return open(privateFiles[strings.TrimPrefix(name, privateModule+"@"+privateVersion+"/")])(name)
	})
	if err != nil {
		return "", err
	}
	modHash, err := dirhash.Hash1([]string{"go.mod"}, open(privateFiles["go.mod"]))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s %s %s\n%s %s/go.mod %s\n", privateModule, privateVersion, zipHash, privateModule, privateVersion, modHash), nil
}

// TestPrivateExampleGoSum keeps examples/private/go.sum in step with the
// test proxy's module (no daemon needed).
func TestPrivateExampleGoSum(t *testing.T) {
	want, err := privateGoSum()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(repoPath("examples/private/go.sum"))
	if err != nil || string(got) != want {
		t.Errorf("examples/private/go.sum does not pin the test proxy's module; want:\n%s", want)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
