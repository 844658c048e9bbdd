package frontend

import (
	"context"
	"fmt"
	"github.com/goscratch/goscratch/inputs"
	gsllb "github.com/goscratch/goscratch/llb"
	"slices"
	"strings"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
	"github.com/moby/buildkit/frontend/subrequests/lint"
	"github.com/moby/buildkit/frontend/subrequests/outline"
	"github.com/moby/buildkit/frontend/subrequests/targets"
	"github.com/moby/buildkit/solver/pb"
)

// handleSubrequest answers `--call outline`, `--call targets` and
// `--call check` (frontend.outline, frontend.targets, frontend.lint). ok is
// false for a normal build request.
func handleSubrequest(ctx context.Context, bc *dockerui.Client, src *dockerui.Source) (*client.Result, bool, error) {
	return bc.HandleSubrequest(ctx, dockerui.RequestHandler{
		Outline: func(ctx context.Context) (*outline.Outline, error) {
			return outlineOf(ctx, bc, src)
		},
		ListTargets: func(ctx context.Context) (*targets.List, error) {
			return listTargets(ctx, bc, src)
		},
		Lint: func(ctx context.Context) (*lint.LintResults, error) {
			return lintResults(ctx, bc, src)
		},
	})
}

// buildArgs are the build args a spec uses, with their defaults. Every
// spec uses the same ones today.
var buildArgs = []outline.Arg{{
	Name:        "SOURCE_DATE_EPOCH",
	Value:       "0",
	Description: "Unix seconds for every file time and the image's created time; `context` takes a git context's commit time",
}, {
	Name:        inputs.ArgVersion,
	Description: "{{.Version}} in ldflags, labels and annotations; org.opencontainers.image.version",
}, {
	Name:        inputs.ArgVCSRevision,
	Description: "{{.Revision}}; org.opencontainers.image.revision (default: buildx's vcs:revision)",
}, {
	Name:        inputs.ArgVCSSource,
	Description: "{{.Source}}; org.opencontainers.image.source (default: buildx's vcs:source)",
}, {
	Name:        inputs.ArgCache,
	Value:       "auto",
	Description: "where the go steps cache modules and compiled packages: mounts (persistent cache mounts), layers (also module and dependency layers that --cache-to exports), auto (layers when the build has --cache-from)",
}}

// outlineArgs are the build args a build reads: the fixed ones, then the go
// variables that override the spec's goenv.
func outlineArgs(bc *dockerui.Client, goenv map[string]string) []outline.Arg {
	args := slices.Clone(buildArgs)
	for _, k := range inputs.GoenvArgs {
		args = append(args, outline.Arg{Name: k, Value: goenv[k], Description: "overrides goenv " + k + " for the go steps"})
	}
	for i, a := range args {
		if v, ok := bc.BuildArgs[a.Name]; ok {
			args[i].Value = v
		}
	}
	return args
}

// outlineOf describes the target the request names: what it builds, the
// build args it reads and its cache mounts.
func outlineOf(ctx context.Context, bc *dockerui.Client, src *dockerui.Source) (*outline.Outline, error) {
	sp, err := spec.Parse(src.Filename, src.Data)
	if err != nil {
		return nil, withSpecSource(err, src.SourceMap)
	}
	// the whole request, builder included: the cache ids depend on it
	in, err := loadRequest(ctx, bc, sp, src.SourceMap)
	if err != nil {
		return nil, err
	}
	r := in.target
	o := &outline.Outline{
		Name:        bc.Target,
		Description: describe(sp, r),
		Sources:     [][]byte{src.Data},
	}
	o.Args = outlineArgs(bc, r.Goenv)
	for _, s := range r.Secrets {
		o.Secrets = append(o.Secrets, outline.Secret{Name: s.ID, Required: s.Required, Location: location(s.Pos)})
	}
	if r.SSH {
		o.SSH = append(o.SSH, outline.SSH{Name: "default", Location: location(sp.Pos("ssh"))})
	}
	for _, id := range gsllb.CacheMountIDs(r, in.options) {
		o.Cache = append(o.Cache, outline.CacheMount{ID: id, Location: location(r.Pos)})
	}
	return o, nil
}

// listTargets lists the top level (the default, when it builds something)
// and every named target.
func listTargets(ctx context.Context, bc *dockerui.Client, src *dockerui.Source) (*targets.List, error) {
	sp, mod, err := parseRequest(ctx, bc, src)
	if err != nil {
		return nil, err
	}
	names := sp.TargetNames()
	if sp.HasDefault() {
		names = append([]string{""}, names...)
	}
	list := &targets.List{Targets: []targets.Target{}, Sources: [][]byte{src.Data}}
	for _, name := range names {
		r, err := sp.Resolve(name, spec.ModulePath(mod.GoMod))
		if err != nil {
			return nil, withSpecSource(err, src.SourceMap)
		}
		list.Targets = append(list.Targets, targets.Target{
			Name:        name,
			Default:     name == "",
			Description: describe(sp, r),
			Platform:    strings.Join(sp.Platforms, ","),
			Location:    location(r.Pos),
		})
	}
	if sp.Test != nil {
		pkgs := sp.Test.Packages
		if len(pkgs) == 0 {
			pkgs = spec.DefaultTestPackages()
		}
		list.Targets = append(list.Targets, targets.Target{
			Name:        spec.TestTarget,
			Description: "go test (and go vet) of " + strings.Join(pkgs, " ") + " on the build platform",
			Location:    location(sp.Pos("test")),
		})
	}
	return list, nil
}

// parseRequest parses the spec and reads the module's go.mod.
func parseRequest(ctx context.Context, bc *dockerui.Client, src *dockerui.Source) (*spec.Spec, *inputs.Module, error) {
	sp, err := spec.Parse(src.Filename, src.Data)
	if err != nil {
		return nil, nil, withSpecSource(err, src.SourceMap)
	}
	mod, err := inputs.ReadModule(ctx, gatewayRead(bc), bc.DockerIgnorePatterns, sp)
	if err != nil {
		return nil, nil, withSpecSource(err, src.SourceMap)
	}
	return sp, mod, nil
}

// describe is one line on what a target builds: its binaries and packages.
func describe(sp *spec.Spec, r *spec.Resolved) string {
	var bins []string
	for _, b := range r.Binaries {
		bins = append(bins, fmt.Sprintf("%s (%s)", b.Name, b.Main))
	}
	d := "FROM scratch image with " + strings.Join(bins, ", ")
	if len(sp.Platforms) > 0 {
		d += " for " + strings.Join(sp.Platforms, ", ")
	}
	return d
}

// location points at a spec line in the request's only source (index 0).
func location(pos spec.Pos) *pb.Location {
	if pos.Line == 0 {
		return nil
	}
	return &pb.Location{SourceIndex: 0, Ranges: lineRange(pos)}
}
