package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
)

// ---- precompile: the dependency layer ----

// precompile compiles the packages listed in -list with the go build flags
// after --, so their compiled forms land in the -cache-out layer (the
// dependency layer; or the own packages' layer, which reads the dependency
// layer as -cache-ro and so holds only the own packages). When go build
// fails and some of the packages do not load for the platform (the own
// packages' list from gotool scanimports holds every platform's), it
// compiles the others. With
// -pgo, the main packages' profile, it compiles them with that profile, as
// go build -pgo=auto (Go 1.21 and later) compiles a main package's
// dependencies. A failure is reported but does not fail the step: the go
// build step that follows compiles the same packages and explains the
// error.
func precompile(args []string) int {
	fs := flag.NewFlagSet("precompile", flag.ExitOnError)
	list := fs.String("list", "", "file with one package per line")
	profile := fs.String("pgo", "", "the PGO profile of the main packages")
	var c layeredCache
	fs.StringVar(&c.out, "cache-out", "", "the dependency layer's build cache")
	fs.Var((*multi)(&c.rw), "cache-rw", "a shared build cache to read and write")
	fs.Var((*multi)(&c.ro), "cache-ro", "a build cache layer to read (its entries are not copied to -cache-out)")
	_ = fs.Parse(args)
	data, err := os.ReadFile(*list)
	if err != nil {
		fatalf("%v", err)
	}
	pkgs := strings.Fields(string(data))
	if len(pkgs) == 0 {
		fmt.Println("goscratch: no packages to precompile")
		return 0
	}
	flags := slices.Concat(pgoArgs(*profile, strings.TrimSpace(goEnv("GOVERSION"))), fs.Args())
	err = goBuild(c.env(), flags, pkgs)
	if err != nil {
		// a listed package may not build for this platform (the own
		// packages' list is every platform's): compile the others
		if ok := loadable(flags, pkgs); len(ok) > 0 && len(ok) < len(pkgs) {
			fmt.Printf("goscratch: %d of the %d packages do not load for this platform; precompiling the others\n", len(pkgs)-len(ok), len(pkgs))
			pkgs = ok
			err = goBuild(c.env(), flags, pkgs)
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "goscratch: precompiling failed (%v); the go build step compiles these packages and reports the cause\n", err)
		return 0
	}
	fmt.Printf("goscratch: precompiled %d packages\n", len(pkgs))
	return 0
}

// goBuild runs go build flags pkgs with env, its output to ours.
func goBuild(env, flags, pkgs []string) error {
	cmd := exec.Command("go", slices.Concat([]string{"build"}, flags, pkgs)...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.Env = env
	return cmd.Run()
}

// loadable are those of pkgs that go list loads with flags, with no error
// in them or their dependencies (nil if go list itself fails).
func loadable(flags, pkgs []string) []string {
	cmd := exec.Command("go", slices.Concat([]string{"list", "-e", "-f", "{{if not (or .Error .DepsErrors)}}{{.ImportPath}}{{end}}"}, flags, pkgs)...)
	cmd.Env = append(os.Environ(), noFetch...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil
	}
	return strings.Fields(string(out))
}

// pgoArgs are the go build flags that compile with profile (none for "")
// with the builder's Go (version is go env GOVERSION): none before Go 1.21,
// whose go build does not use a main package's default.pgo by itself.
func pgoArgs(profile, version string) []string {
	if profile == "" || !goAtLeast(version, 21) {
		return nil
	}
	return []string{"-pgo=" + profile}
}

// env is the environment for a go command using c as its build cache:
// GOCACHEPROG running this program's cacheprog on Go 1.24 and later
// (which has it), else GOCACHE set to the first writable directory (the
// read-only ones are then not used).
func (c *layeredCache) env() []string {
	env := os.Environ()
	if !hasCacheProg(strings.TrimSpace(goEnv("GOVERSION"))) {
		if dir := c.out; dir != "" {
			return append(env, "GOCACHE="+dir)
		}
		if len(c.rw) > 0 {
			return append(env, "GOCACHE="+c.rw[0])
		}
		return env // GOCACHE is already the shared cache
	}
	self, err := os.Executable()
	if err != nil {
		fatalf("%v", err)
	}
	prog := []string{self, "cacheprog"}
	if c.out != "" {
		prog = append(prog, "-out", c.out)
	}
	for _, d := range c.rw {
		prog = append(prog, "-rw", d)
	}
	for _, d := range c.ro {
		prog = append(prog, "-ro", d)
	}
	env = append(env, "GOCACHEPROG="+strings.Join(prog, " "))
	if len(c.rw) > 0 && slices.Contains(c.ro, os.Getenv("GOCACHE")) {
		// the go command still creates its cache directory: not a read-only one
		env = append(env, "GOCACHE="+c.rw[0])
	}
	return env
}

// hasCacheProg says whether the builder's Go (go env GOVERSION: gotool may
// be a prebuilt binary from another Go) supports GOCACHEPROG without an
// experiment: Go 1.24 and later.
func hasCacheProg(version string) bool { return goAtLeast(version, 24) }

// goAtLeast says whether version (go env GOVERSION) is Go 1.minor or later;
// a development build counts as current, an unknown version as none.
func goAtLeast(version string, minor int) bool {
	v, ok := strings.CutPrefix(version, "go")
	if !ok {
		return version != "" // a development build: assume current; unknown: no
	}
	major, rest, _ := strings.Cut(v, ".")
	minorStr, _, _ := strings.Cut(rest, ".")
	if i := strings.IndexFunc(minorStr, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		minorStr = minorStr[:i] // go1.24rc1
	}
	ma, err1 := strconv.Atoi(major)
	mi, err2 := strconv.Atoi(minorStr)
	if err1 != nil || err2 != nil {
		return true
	}
	return ma > 1 || (ma == 1 && mi >= minor)
}

// goEnv is `go env NAME`.
func goEnv(name string) string {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		return ""
	}
	return string(out)
}
