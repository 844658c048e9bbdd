package spec

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// TestTarget is the reserved target name that runs the spec's `test`.
const TestTarget = "test"

// ResolvedTest is the `test` field with every default applied.
type ResolvedTest struct {
	Packages []string // package patterns, default [./...]
	Vet      bool     // run go vet first
	Flags    []string // extra go test flags
	Tags     []string // top-level tags + test tags (+ timetzdata for zoneinfo: embed), sorted, unique
	Report   bool     // put go-test.json and go-test.txt in the result
	Coverage bool     // put coverage.out in the result (implies Report)
}

func (d *decoder) test(n *node, path string) *Test {
	if n.kind == nullKind {
		return nil
	}
	t := &Test{}
	nested(d, n, path, testTable, t)
	return t
}

// testFlags are go test flags goscratch sets or cannot honour.
var testFlags = map[string]string{
	"json":         "goscratch runs go test -json; set report: true for the events",
	"c":            "the test target runs the tests; build test binaries in your own step",
	"o":            "the test target runs the tests; build test binaries in your own step",
	"exec":         "tests run in the builder on the build platform",
	"tags":         "use test.tags (added to the top level's tags)",
	"coverprofile": "set coverage: true; coverage.out lands in the result",
	"outputdir":    "set report: true; the report lands in the result",
	"race":         "it needs cgo and goscratch builds with CGO_ENABLED=0",
	"msan":         "it needs cgo and goscratch builds with CGO_ENABLED=0",
	"asan":         "it needs cgo and goscratch builds with CGO_ENABLED=0",
}

func (v *validator) test(t *Test) {
	if t == nil {
		return
	}
	for i, p := range t.Packages {
		v.check(joinIndex("test.packages", i), checkTestPackage(p))
	}
	for i, f := range t.Flags {
		v.check(joinIndex("test.flags", i), checkTestFlag(f))
	}
	v.list("test", "tags", t.Tags, checkBuildTag)
	if t.Packages != nil && len(t.Packages) == 0 && !v.s.isBad("test.packages") {
		v.check("test.packages", newProblem("remove it to test ./..., "+exampleOf("test.packages"), "packages is empty"))
	}
	if _, taken := v.s.Targets[TestTarget]; taken {
		p := joinKey("targets", TestTarget)
		v.errs.add(v.s.Pos(p), p, "target name test is taken by the test field",
			"rename this target, or remove test: to use your own")
	}
}

// checkTestPackage accepts package paths and patterns relative to the module
// (".", "./...", "./internal/...", "internal/api") and import paths with
// "..." (example.com/app/...).
func checkTestPackage(p string) *problem {
	switch {
	case strings.Contains(p, `\`):
		return newProblem("use / as the separator", "package %q contains a backslash", p)
	case path.IsAbs(p):
		return newProblem("write it relative to the module, e.g. ./...", "package %q is absolute", p)
	case strings.HasPrefix(p, "-"):
		return newProblem("put flags in test.flags", "package %q is a flag", p)
	case strings.ContainsAny(p, " \t"):
		return newProblem("list each package as its own item", "package %q holds several packages", p)
	case escapes(p):
		return newProblem("packages are in the module; to test another module set module", "package %q leaves the module", p)
	}
	return nil
}

func checkTestFlag(f string) *problem {
	if !strings.HasPrefix(f, "-") {
		return newProblem("e.g. flags: [-count=1, -run=TestAPI]", "flag %q does not start with -", f)
	}
	name, _, _ := strings.Cut(strings.TrimLeft(f, "-"), "=")
	name = strings.TrimPrefix(name, "test.")
	if strings.ContainsAny(name, " \t") {
		return newProblem("list each flag as its own item: [-run=TestA, -count=1]", "flag %q holds several flags", f)
	}
	if why, ok := testFlags[name]; ok {
		return newProblem(why, "-%s cannot be set in test.flags", name)
	}
	return nil
}

// resolveTest is the reserved target `test`: the module's go settings (the
// top level's goflags, goenv, tags) and the test's own.
func (s *Spec) resolveTest() *Resolved {
	t := s.Test
	rt := &ResolvedTest{
		Packages: slices.Clone(t.Packages),
		Vet:      valueOr(t.Vet, false),
		Flags:    slices.Clone(t.Flags),
		Coverage: valueOr(t.Coverage, false),
	}
	rt.Report = rt.Coverage || valueOr(t.Report, false)
	if len(rt.Packages) == 0 {
		rt.Packages = DefaultTestPackages()
	}
	rt.Tags = buildTags(s.Zoneinfo, s.Tags, t.Tags)
	return &Resolved{
		Target:      TestTarget,
		Module:      s.module(),
		Goflags:     slices.Clone(s.Goflags),
		Goenv:       cloneMap(s.Goenv),
		Env:         map[string]string{},
		Labels:      map[string]string{},
		Annotations: map[string]string{},
		Workdir:     DefaultWorkdir,
		Zoneinfo:    or(s.Zoneinfo, DefaultZoneinfo),
		Secrets:     s.resolveSecrets(),
		SSH:         valueOr(s.SSH, false),
		Test:        rt,
		Pos:         s.Pos("test"),
	}
}

// hasTest reports whether target names the spec's test target.
func (s *Spec) hasTest(target string) bool {
	return target == TestTarget && s.Test != nil
}

func (s *Spec) targetHint(names []string) string {
	if s.Test != nil {
		names = append(slices.Clone(names), TestTarget)
		slices.Sort(names)
	}
	if len(names) == 0 {
		return "the spec has no targets"
	}
	return fmt.Sprintf("targets: %s", strings.Join(names, ", "))
}
