package llb

import (
	"fmt"
	"strings"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
)

// ConvertTest turns the reserved target `test` into LLB: go vet (if asked)
// and go test for the module, run by gotool on opt.BuildPlatform (natively,
// never emulated) after the same download step as the builds, with the same
// module and build caches and the source mounted read-only. A failing vet
// or test fails the step, with go's output in its log. The returned state
// is the report directory: empty unless the spec asks for a report, so
// passing tests export nothing by default.
func ConvertTest(r *spec.Resolved, opt Options) (llb.State, error) {
	if r.Test == nil {
		return llb.State{}, fmt.Errorf("target %q is not the test target", r.Target)
	}
	opt.Builder = opt.Builder.Platform(opt.BuildPlatform)
	opt = withCacheNamespace(r, opt)
	mods := modules(r, opt, false)
	t := r.Test

	// the tests are the author's code: they read the shared build cache
	// and write to one of their own (trust.go)
	args := append([]string{toolBin, "test"}, cacheArgs(true, false)...)
	if t.Vet {
		args = append(args, "-vet")
	}
	if t.Report {
		args = append(args, "-report", reportDir)
	}
	if t.Coverage {
		args = append(args, "-coverage")
	}
	if len(t.Tags) > 0 {
		args = append(args, "-tags", strings.Join(t.Tags, ","))
	}
	for _, f := range opt.buildFlags(r) {
		args = append(args, "-build", f)
	}
	for _, f := range t.Flags {
		args = append(args, "-flag", f)
	}
	args = append(args, t.Packages...)

	run := toolStep(r, mods, args, nil, testStepName(t), r.Pos, true, opt)
	return run.AddMount(reportDir, llb.Scratch()), nil
}

func testStepName(t *spec.ResolvedTest) string {
	name := "go test " + strings.Join(t.Packages, " ")
	if t.Vet {
		name = "go vet + " + name
	}
	return name
}
