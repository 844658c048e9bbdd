// Command gotool runs inside the Go builder image during a goscratch build.
// The frontend image carries it prebuilt (static) for its own platform; for
// another build platform the frontend embeds this source and compiles it in
// the builder (standard library only, so any Go 1.21+ builder can build
// it). It never ships in a built image.
//
//	gotool download [-secret ID=file:PATH|ID=env:NAME]... [-ssh] [ARG...]
//	    go mod download ARG...; when it fails, says which module and what
//	    the build is missing (a --secret, --ssh, GOPRIVATE, a CA ...).
//	gotool build ARG...
//	    go build ARG...; when it fails because a package needs cgo under
//	    CGO_ENABLED=0, explains why goscratch builds static and what to do.
//	gotool test [-vet] [-report DIR] [-coverage] [-tags T] [-build FLAG]... [-flag FLAG]... PACKAGE...
//	    go vet (with -vet), then go test -json, printed like plain go test
//	    (output of failing tests only, unless -v); with -report DIR the JSON
//	    events, the printed text and the coverage profile go to DIR.
//	gotool setcap -caps MASK -epoch SECONDS -root DIR SRC DST
//	    copies a built binary into the layer at DIR with its file
//	    capabilities (the security.capability xattr), see setcap.go.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		fatalf("usage: gotool download|test|build|imports|prune|precompile|cacheprog|setcap|stickydir|toolchain ...")
	}
	var code int
	switch os.Args[1] {
	case "download":
		code = download(os.Args[2:])
	case "test":
		code = test(os.Args[2:])
	case "build":
		code = build(os.Args[2:])
	case "imports":
		code = imports(os.Args[2:])
	case "scanimports":
		code = scanImports(os.Args[2:])
	case "prune":
		code = prune(os.Args[2:])
	case "precompile":
		code = precompile(os.Args[2:])
	case "cacheprog":
		code = cacheprog(os.Args[2:])
	case "stickydir":
		code = stickyDir(os.Args[2:])
	case "setcap":
		code = setcap(os.Args[2:])
	case "toolchain":
		code = toolchain(os.Args[2:])
	default:
		fatalf("unknown command %q", os.Args[1])
	}
	os.Exit(code)
}

// stickyDir makes each directory with mode 1777, what /tmp needs: BuildKit
// before v0.13 keeps the sticky bit in a copy only from the copy's source,
// so on those daemons the image's /tmp is copied from one made here.
func stickyDir(dirs []string) int {
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			fmt.Fprintf(os.Stderr, "gotool: %v\n", err)
			return 1
		}
		if err := os.Chmod(d, 0o777|os.ModeSticky); err != nil {
			fmt.Fprintf(os.Stderr, "gotool: %v\n", err)
			return 1
		}
	}
	return 0
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "gotool: "+format+"\n", args...)
	os.Exit(2)
}

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, " ") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

// exitCode is the exit status of a finished command, 1 if it did not run.
func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() > 0 {
		return ee.ExitCode()
	}
	if err != nil {
		return 1
	}
	return 0
}

// ---- download ----

// secret is one spec secret as mounted in this step.
type secret struct {
	id   string
	kind string // file or env
	loc  string // path or variable name
}

func (s secret) present() bool {
	if s.kind == "env" {
		return os.Getenv(s.loc) != ""
	}
	_, err := os.Stat(s.loc)
	return err == nil
}

func parseSecret(v string) (secret, error) {
	id, rest, ok := strings.Cut(v, "=")
	kind, loc, ok2 := strings.Cut(rest, ":")
	if !ok || !ok2 || id == "" || loc == "" || (kind != "file" && kind != "env") {
		return secret{}, fmt.Errorf("bad -secret %q: want ID=file:PATH or ID=env:NAME", v)
	}
	return secret{id: id, kind: kind, loc: loc}, nil
}

func download(args []string) int {
	fs := flag.NewFlagSet("download", flag.ExitOnError)
	var secretFlags multi
	fs.Var(&secretFlags, "secret", "a spec secret: ID=file:PATH or ID=env:NAME")
	ssh := fs.Bool("ssh", false, "the spec forwards the ssh agent")
	seed := fs.String("seed", "", "a module cache (the persistent cache mount) to read modules from before the proxy, and to add the downloaded ones to")
	slimFlag := fs.Bool("slim", false, "make the module cache a layer to export: delete the module zips (the builds read the extracted trees) and cache/vcs")
	seedOnly := fs.Bool("seed-only", false, "only fill the seed: leave the module cache empty (gotool prune -fetch-seed reads the seed)")
	_ = fs.Parse(args)
	if *seedOnly && *seed == "" {
		fatalf("download: -seed-only needs -seed")
	}
	var secrets []secret
	for _, v := range secretFlags {
		s, err := parseSecret(v)
		if err != nil {
			fatalf("%v", err)
		}
		secrets = append(secrets, s)
	}
	// go's stderr: streamed, except for a first try with the seed, kept
	// until it is known whether a retry without the seed replaces it (a
	// failure the retry repeats shows once, as if there were no seed)
	var errOut bytes.Buffer
	modDownload := func(env []string, stream bool) error {
		errOut.Reset()
		cmd := exec.Command("go", append([]string{"mod", "download"}, fs.Args()...)...)
		cmd.Stdout = os.Stdout
		cmd.Stderr = &errOut
		if stream {
			cmd.Stderr = io.MultiWriter(os.Stderr, &errOut)
		}
		cmd.Env = append(os.Environ(), env...)
		return cmd.Run()
	}
	modcache := strings.TrimSpace(goEnv("GOMODCACHE"))
	var err error
	replace := false
	if *seed == "" {
		err = modDownload(nil, true)
	} else {
		err = modDownload([]string{"GOPROXY=" + seededProxy(*seed, goEnv("GOPROXY"))}, false)
		if err != nil && strings.Contains(errOut.String(), seedMismatch) {
			if err := emptyModCache(modcache); err != nil {
				fatalf("%v", err)
			}
			if err, replace = modDownload(unseeded(), true), true; err == nil {
				fmt.Fprintf(os.Stderr, "goscratch: a module in the shared module cache did not match go.sum (another build put it there): downloaded it again\n")
			}
		} else {
			_, _ = os.Stderr.Write(errOut.Bytes())
		}
	}
	if err == nil {
		if *seed != "" {
			if err := saveDownloads(modcache, *seed, replace); err != nil {
				fmt.Fprintf(os.Stderr, "goscratch: keeping the downloads in the shared module cache failed (the build goes on): %v\n", err)
			}
		}
		if *seedOnly {
			// nothing of it is a layer: the prune steps read the seed
			if err := emptyModCache(modcache); err != nil {
				fatalf("%v", err)
			}
		} else if *slimFlag {
			if err := slim(modcache); err != nil {
				fatalf("%v", err)
			}
		}
		return 0
	}
	if errors.Is(err, exec.ErrNotFound) {
		fatalf("the builder image has no go command in its PATH (%s): use a Go toolchain image such as golang:1.26", os.Getenv("PATH"))
	}
	for _, line := range diagnose(errOut.String(), secrets, *ssh) {
		fmt.Fprintln(os.Stderr, "goscratch: "+line)
	}
	return exitCode(err)
}

// moduleRE finds "module@version: reason" in go's error output.
var moduleRE = regexp.MustCompile(`([A-Za-z0-9][A-Za-z0-9._~/-]*\.[A-Za-z0-9._~/-]+)@(v[0-9][^\s:]*): (.*)`)

var hostRE = regexp.MustCompile(`https?://([^/\s]+)`)

// failure is one module go could not fetch and why, with the indented
// lines that followed go's message.
type failure struct {
	module, version, reason string
}

// failures reads go's stderr into one failure per module, in order.
func failures(out string) []failure {
	var fs []failure
	seen := map[string]bool{}
	for _, line := range strings.Split(out, "\n") {
		if m := moduleRE.FindStringSubmatch(line); m != nil {
			key := m[1] + "@" + m[2]
			if seen[key] {
				continue
			}
			seen[key] = true
			fs = append(fs, failure{module: m[1], version: m[2], reason: m[3]})
			continue
		}
		indented := strings.HasPrefix(line, "\t") || strings.HasPrefix(line, " ")
		if len(fs) > 0 && indented {
			fs[len(fs)-1].reason += "\n" + strings.TrimSpace(line)
		}
	}
	return fs
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// diagnose explains go mod download's failure: for each module, what went
// wrong, and what the build should pass. It never reads a secret.
func diagnose(out string, secrets []secret, ssh bool) []string {
	var lines []string
	for _, f := range failures(out) {
		what, todo := explain(f, secrets, ssh)
		if what == "" {
			continue
		}
		lines = append(lines, fmt.Sprintf("cannot download %s@%s: %s", f.module, f.version, what))
		for _, t := range todo {
			lines = append(lines, "to fix: "+t)
		}
	}
	if len(lines) == 0 {
		lines = append(lines, "go mod download failed; its output above names the module")
	}
	return lines
}

func explain(f failure, secrets []secret, ssh bool) (string, []string) {
	r := f.reason
	host := ""
	if m := hostRE.FindStringSubmatch(r); m != nil {
		host = m[1]
	}
	switch {
	case strings.Contains(r, "disabled by GOPROXY=off"):
		return "GOPROXY=off forbids fetching it, and neither the build's module cache nor an imported cache (--cache-from) has it",
			[]string{"let the download reach a module proxy: remove GOPROXY=off (goenv in the spec or --build-arg GOPROXY), or vendor the dependencies (go mod vendor; goscratch then downloads nothing)"}
	case strings.Contains(r, "checksum mismatch"):
		return "what the module proxy served does not match the hash go.sum records for it",
			[]string{"if go.sum was edited by hand or merged badly, restore it: go mod tidy (or go mod download " + f.module + "@" + f.version + ") on your machine and commit go.sum",
				"if go.sum is right, the module was changed after it was published or on the way: do not update go.sum to match; check GOPROXY and GONOSUMDB"}
	case containsAny(r, "x509:", "certificate signed by unknown authority"):
		return "the server's TLS certificate is not trusted by the builder (" + host + ")",
			[]string{"pass its CA as a secret mounted in a directory named by SSL_CERT_DIR, e.g. secrets: [{id: proxy-ca, target: /run/goproxy-ca/ca.pem}] with goenv: {SSL_CERT_DIR: /run/goproxy-ca}, and --secret id=proxy-ca,src=ca.pem"}
	case containsAny(r, "Permission denied (publickey", "Host key verification failed", "Could not read from remote repository", "ssh:"):
		return "git over ssh was refused", sshTodo(ssh)
	case containsAny(r, "401 Unauthorized", "403 Forbidden", "terminal prompts disabled", "could not read Username",
		"Authentication failed", "authentication required"):
		where := "the server wants credentials"
		if host != "" {
			where += " (" + host + ")"
		}
		return where, credentialTodo(secrets, host)
	case strings.Contains(r, "verifying") && containsAny(r, "404 Not Found", "410 Gone", "sum.golang.org"):
		return "the checksum database does not know it (a private module?)",
			[]string{fmt.Sprintf("set GONOSUMDB or GOPRIVATE to %s (goenv in the spec, or --build-arg GOPRIVATE=%s)", f.module, f.module)}
	case containsAny(r, "404 Not Found", "410 Gone"):
		return "the module proxy does not have it (a private module?)",
			[]string{fmt.Sprintf("if it is private, set GOPRIVATE=%s (goenv in the spec, or --build-arg GOPRIVATE=%s) to fetch it from its origin, and pass credentials: %s",
				f.module, f.module, strings.Join(credentialTodo(secrets, ""), "; "))}
	}
	return "", nil
}

// credentialTodo says which secrets to pass, or how to declare one.
func credentialTodo(secrets []secret, host string) []string {
	if len(secrets) == 0 {
		return []string{"declare the credentials in the spec, e.g. secrets: [netrc], and pass them with --secret id=netrc,src=$HOME/.netrc"}
	}
	var todo []string
	for _, s := range secrets {
		if !s.present() {
			todo = append(todo, fmt.Sprintf("secret %q was not passed: add %s to the build", s.id, secretFlag(s)))
		}
	}
	if len(todo) == 0 {
		ids := make([]string, len(secrets))
		for i, s := range secrets {
			ids[i] = s.id
		}
		msg := "the secrets (" + strings.Join(ids, ", ") + ") were passed but the server refused them"
		if host != "" {
			msg += "; a netrc needs a line for the host as in the URL, port included: machine " + host + " login USER password TOKEN"
		}
		todo = append(todo, msg)
	}
	return todo
}

func secretFlag(s secret) string {
	switch {
	case s.kind == "env":
		return fmt.Sprintf("--secret id=%s,env=%s", s.id, s.loc)
	case s.id == "netrc" || filepath.Base(s.loc) == ".netrc":
		return fmt.Sprintf("--secret id=%s,src=$HOME/.netrc", s.id)
	}
	return fmt.Sprintf("--secret id=%s,src=FILE", s.id)
}

func sshTodo(ssh bool) []string {
	sock := os.Getenv("SSH_AUTH_SOCK")
	_, err := os.Stat(sock)
	switch {
	case !ssh:
		return []string{"set ssh: true in the spec and pass --ssh default"}
	case sock == "" || err != nil:
		return []string{"the ssh agent was not forwarded: add --ssh default to the build"}
	}
	return []string{"the ssh agent was forwarded but the server refused its keys, or its host key is unknown (set GIT_SSH_COMMAND in goenv, e.g. ssh -o StrictHostKeyChecking=accept-new)"}
}

// ---- test ----

// event is one go test -json (test2json) event.
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

func test(args []string) int {
	fs := flag.NewFlagSet("test", flag.ExitOnError)
	vet := fs.Bool("vet", false, "run go vet first")
	report := fs.String("report", "", "directory for go-test.json, go-test.txt (and go-vet.txt, coverage.out)")
	coverage := fs.Bool("coverage", false, "write coverage.out to the report directory")
	tags := fs.String("tags", "", "build tags")
	var build, flags multi
	fs.Var(&build, "build", "a build flag for go vet and go test")
	fs.Var(&flags, "flag", "a go test flag")
	var c layeredCache
	fs.Var((*multi)(&c.rw), "cache-rw", "a build cache to read and write (the tests' own)")
	fs.Var((*multi)(&c.ro), "cache-ro", "a build cache to read only (the shared one)")
	_ = fs.Parse(args)
	var env []string
	if len(c.rw)+len(c.ro) > 0 {
		env = c.env()
	}
	pkgs := fs.Args()
	common := append([]string(nil), build...)
	if *tags != "" {
		common = append(common, "-tags", *tags)
	}

	failed := []string{}
	if *vet {
		if err := runVet(common, pkgs, *report, env); err != nil {
			failed = append(failed, "go vet")
		}
	}
	testArgs := append([]string{"test", "-json"}, common...)
	if *coverage && *report != "" {
		testArgs = append(testArgs, "-coverprofile="+filepath.Join(*report, "coverage.out"))
	}
	testArgs = append(append(testArgs, flags...), pkgs...)
	if err := runTest(testArgs, verbose(flags), *report, env); err != nil {
		failed = append(failed, "go test")
	}
	if len(failed) > 0 {
		fmt.Fprintf(os.Stderr, "goscratch: %s failed\n", strings.Join(failed, " and "))
		return 1
	}
	return 0
}

func verbose(flags []string) bool {
	for _, f := range flags {
		switch strings.TrimLeft(f, "-") {
		case "v", "v=true", "test.v", "test.v=true":
			return true
		}
	}
	return false
}

// create opens a report file, or returns io.Discard without a report.
func create(dir, name string) io.WriteCloser {
	if dir == "" {
		return nopCloser{io.Discard}
	}
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		fatalf("%v", err)
	}
	return f
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

func runVet(common, pkgs []string, report string, env []string) error {
	out := create(report, "go-vet.txt")
	defer out.Close()
	cmd := exec.Command("go", append(append([]string{"vet"}, common...), pkgs...)...)
	cmd.Env = env
	cmd.Stdout = io.MultiWriter(os.Stdout, out)
	cmd.Stderr = io.MultiWriter(os.Stderr, out)
	return cmd.Run()
}

func runTest(args []string, verbose bool, report string, env []string) error {
	js := create(report, "go-test.json")
	defer js.Close()
	txt := create(report, "go-test.txt")
	defer txt.Close()
	text := io.MultiWriter(os.Stdout, txt)

	cmd := exec.Command("go", args...)
	cmd.Env = env
	cmd.Stderr = io.MultiWriter(os.Stderr, txt)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	p := &printer{out: text, verbose: verbose, held: map[string][]string{}}
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := sc.Bytes()
		fmt.Fprintf(js, "%s\n", line)
		p.line(line)
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(os.Stderr, "gotool: reading go test output: %v\n", err)
	}
	return cmd.Wait()
}

// printer turns go test -json events back into go test's text: package
// lines always, a test's output only when it fails (every test's with -v).
type printer struct {
	out     io.Writer
	verbose bool
	held    map[string][]string // package + test -> output not printed yet
}

func (p *printer) line(line []byte) {
	var ev event
	if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &ev) != nil {
		fmt.Fprintf(p.out, "%s\n", line)
		return
	}
	switch {
	case ev.Action == "build-output":
		fmt.Fprint(p.out, ev.Output)
	case ev.Action == "output" && ev.Test == "" && ev.Output == "PASS\n" && !p.verbose:
		// go test -json runs test binaries with -test.v; plain go test prints only "ok"
	case ev.Action == "output" && (ev.Test == "" || p.verbose):
		fmt.Fprint(p.out, ev.Output)
	case ev.Action == "output":
		key := ev.Package + " " + ev.Test
		p.held[key] = append(p.held[key], ev.Output)
	case ev.Test != "" && ev.Action == "fail":
		key := ev.Package + " " + ev.Test
		for _, o := range p.held[key] {
			fmt.Fprint(p.out, o)
		}
		delete(p.held, key)
	case ev.Test != "" && (ev.Action == "pass" || ev.Action == "skip"):
		delete(p.held, ev.Package+" "+ev.Test)
	}
}
