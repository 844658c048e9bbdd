package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	out401      = "go: goscratch.test/private/greeting@v1.0.0: reading https://127.0.0.1:33717/goscratch.test/private/greeting/@v/v1.0.0.mod: 401 Unauthorized\n\tserver response: unauthorized\n"
	outX509     = `go: goscratch.test/private/greeting@v1.0.0: Get "https://127.0.0.1:33717/goscratch.test/private/greeting/@v/v1.0.0.mod": tls: failed to verify certificate: x509: certificate signed by unknown authority` + "\n"
	outGit      = "go: github.com/acme/lib@v1.2.3: invalid version: git ls-remote -q origin in /go/pkg/mod/cache/vcs/abc: exit status 128:\n\tfatal: could not read Username for 'https://github.com': terminal prompts disabled\n"
	outSSH      = "go: github.com/acme/lib@v1.2.3: invalid version: git ls-remote -q origin in /x: exit status 128:\n\tgit@github.com: Permission denied (publickey).\n\tfatal: Could not read from remote repository.\n"
	outProxy404 = "go: github.com/acme/lib@v1.2.3: reading https://goproxy.example.com/github.com/acme/lib/@v/v1.2.3.mod: 404 Not Found\n\tserver response: not found\n"
)

func TestDiagnose(t *testing.T) {
	dir := t.TempDir()
	passed := filepath.Join(dir, "netrc")
	if err := os.WriteFile(passed, []byte("machine x login u password p\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := secret{id: "netrc", kind: "file", loc: filepath.Join(dir, "missing")}
	for _, tc := range []struct {
		name    string
		out     string
		secrets []secret
		ssh     bool
		want    []string
	}{
		{"secret not passed", out401, []secret{missing}, false,
			[]string{"goscratch.test/private/greeting@v1.0.0", "credentials (127.0.0.1:33717)", `secret "netrc" was not passed: add --secret id=netrc,src=$HOME/.netrc`}},
		{"no secret declared", out401, nil, false,
			[]string{"goscratch.test/private/greeting@v1.0.0", "secrets: [netrc]", "--secret id=netrc,src=$HOME/.netrc"}},
		{"secret refused", out401, []secret{{id: "netrc", kind: "file", loc: passed}}, false,
			[]string{"were passed but the server refused them", "machine 127.0.0.1:33717 login"}},
		{"env secret not passed", outGit, []secret{{id: "token", kind: "env", loc: "GOSCRATCH_TEST_UNSET_TOKEN"}}, false,
			[]string{"github.com/acme/lib@v1.2.3", "--secret id=token,env=GOSCRATCH_TEST_UNSET_TOKEN"}},
		{"untrusted CA", outX509, nil, false, []string{"not trusted", "SSL_CERT_DIR"}},
		{"ssh not declared", outSSH, nil, false, []string{"github.com/acme/lib@v1.2.3", "ssh: true", "--ssh default"}},
		{"ssh not forwarded", outSSH, nil, true, []string{"add --ssh default"}},
		{"public proxy 404", outProxy404, nil, false, []string{"GOPRIVATE=github.com/acme/lib"}},
		{"proxy off", "go: golang.org/x/sync@v0.19.0: module lookup disabled by GOPROXY=off\n", nil, false,
			[]string{"cannot download golang.org/x/sync@v0.19.0: GOPROXY=off forbids", "go mod vendor"}},
		{"checksum mismatch", "verifying golang.org/x/sync@v0.19.0: checksum mismatch\n\tdownloaded: h1:a\n\tgo.sum:     h1:b\n", nil, false,
			[]string{"cannot download golang.org/x/sync@v0.19.0: what the module proxy served does not match", "go mod tidy", "do not update go.sum"}},
		{"unknown", "go: something else broke\n", nil, false, []string{"its output above names the module"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("SSH_AUTH_SOCK", "")
			got := strings.Join(diagnose(tc.out, tc.secrets, tc.ssh), "\n")
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("diagnosis lacks %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestParseSecret(t *testing.T) {
	s, err := parseSecret("netrc=file:/root/.netrc")
	if err != nil || s != (secret{id: "netrc", kind: "file", loc: "/root/.netrc"}) {
		t.Errorf("parseSecret = %+v, %v", s, err)
	}
	for _, bad := range []string{"netrc", "netrc=/root/.netrc", "=file:/x", "a=dir:/x", "a=env:"} {
		if _, err := parseSecret(bad); err == nil {
			t.Errorf("parseSecret(%q): no error", bad)
		}
	}
}

func TestPrinter(t *testing.T) {
	events := `{"Action":"start","Package":"a"}
{"Action":"run","Package":"a","Test":"TestOK"}
{"Action":"output","Package":"a","Test":"TestOK","Output":"=== RUN   TestOK\n"}
{"Action":"output","Package":"a","Test":"TestOK","Output":"--- PASS: TestOK (0.00s)\n"}
{"Action":"pass","Package":"a","Test":"TestOK"}
{"Action":"run","Package":"a","Test":"TestBad"}
{"Action":"output","Package":"a","Test":"TestBad","Output":"=== RUN   TestBad\n"}
{"Action":"output","Package":"a","Test":"TestBad","Output":"    a_test.go:9: want 2, got 3\n"}
{"Action":"output","Package":"a","Test":"TestBad","Output":"--- FAIL: TestBad (0.00s)\n"}
{"Action":"fail","Package":"a","Test":"TestBad"}
{"Action":"output","Package":"a","Output":"FAIL\n"}
{"Action":"build-output","ImportPath":"b","Output":"b/b.go:3:1: syntax error\n"}
not json
{"Action":"output","Package":"c","Output":"PASS\n"}
{"Action":"output","Package":"c","Output":"ok  \tc\t0.01s\n"}
`
	var quiet, loud bytes.Buffer
	for _, p := range []*printer{{out: &quiet, held: map[string][]string{}}, {out: &loud, verbose: true, held: map[string][]string{}}} {
		for _, l := range strings.Split(strings.TrimSuffix(events, "\n"), "\n") {
			p.line([]byte(l))
		}
	}
	want := "=== RUN   TestBad\n    a_test.go:9: want 2, got 3\n--- FAIL: TestBad (0.00s)\nFAIL\nb/b.go:3:1: syntax error\nnot json\nok  \tc\t0.01s\n"
	if quiet.String() != want {
		t.Errorf("printed\n%s\nwant\n%s", quiet.String(), want)
	}
	if !strings.Contains(loud.String(), "--- PASS: TestOK") {
		t.Errorf("-v output lacks passing tests:\n%s", loud.String())
	}
}

func TestVerbose(t *testing.T) {
	if !verbose([]string{"-count=1", "-v"}) || !verbose([]string{"-test.v=true"}) || verbose([]string{"-vet=off"}) {
		t.Error("verbose flag detection")
	}
}
