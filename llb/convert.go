package llb

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
)

// Result is the image for one target platform.
type Result struct {
	State llb.State
	Image *dockerspec.DockerOCIImage
	// Binaries are the layers of the binaries, in the spec's order, each
	// holding one binary at its path in the image. Reading a binary from
	// its own layer (the static check, the SBOM) leaves the merge of the
	// image's layers lazy: the exporter never needs it materialised.
	Binaries []llb.State
	// Debug is the debug shell's layer when the target asks for one (the
	// frontend checks its busybox is static for the platform), else nil.
	Debug *llb.State
}

// Convert turns one resolved target into the LLB of its FROM-scratch image
// for opt.TargetPlatform, and that image's config. Every Go step runs on
// opt.BuildPlatform. Convert never solves.
//
// The graph: go.mod+go.sum -> `go mod download` -> per binary `go build`
// (source bind-mounted read-only, output on its own mount) -> merge of
// single-op layers on scratch: accounts, certs, zoneinfo, extra files,
// binaries (a binary with file capabilities: its layer written by `gotool
// setcap`, see capabilityLayer). opt.Cache decides where modules and compiled packages live:
// persistent cache mounts (CacheMounts), or also a module cache layer and,
// per set of build tags and PGO profile, a dependency layer (`gotool imports`
// and `gotool prune` list the imported std and module packages and prune the
// module cache to them, `gotool precompile` compiles them; see
// dependencyLayer) under the shared build cache (CacheLayers).
func Convert(r *spec.Resolved, opt Options) (*Result, error) {
	if len(r.Binaries) == 0 {
		return nil, fmt.Errorf("nothing to build: the spec has no main package")
	}
	target, err := GoEnv(opt.TargetPlatform)
	if err != nil {
		return nil, err
	}
	opt.Builder = opt.Builder.Platform(opt.BuildPlatform)
	opt = withCacheNamespace(r, opt)
	opt.toolchain = toolchainRoot(r, opt)
	mods := modules(r, opt, prunesFetch(r, opt))
	deps := map[string]*depLayers{}
	for _, group := range depGroups(r, opt) {
		deps[group.key()] = dependencyLayer(r, mods, group, target, opt)
	}

	layers := []layer{baseLayer(r, opt)}
	if r.Certs {
		layers = append(layers, fromBuilder(certsPath, r.FieldPos("certs"), opt))
	}
	if r.Zoneinfo == spec.ZoneinfoCopy {
		layers = append(layers, fromBuilder(zoneinfoPath, r.FieldPos("zoneinfo"), opt))
	}
	for i, f := range r.Files {
		l, err := fileLayer(f, r.FieldPos(spec.FieldPath("files", i)), imageDirs(r), opt)
		if err != nil {
			return nil, err
		}
		layers = append(layers, l)
	}
	var debug *llb.State
	if r.Debug {
		l := debugLayer(r, opt)
		layers = append(layers, l)
		debug = &l.state
	}
	data := templateData(r, opt)
	binaries := slices.Clone(r.Binaries)
	for i := range binaries {
		if binaries[i].Ldflags, err = ldflags(binaries[i], data); err != nil {
			return nil, err
		}
	}
	depKey := func(b spec.ResolvedBinary) string {
		return depGroup{tags: b.Tags, profile: opt.profileOf(r, b.Main)}.key()
	}
	builtBy := make([]llb.State, len(binaries))
	for _, g := range buildGroups(binaries, depKey) {
		group := make([]spec.ResolvedBinary, len(g))
		for j, i := range g {
			group[j] = binaries[i]
		}
		built := build(r, group, mods, deps[depKey(group[0])], target, opt)
		for _, i := range g {
			builtBy[i] = built
		}
	}
	var bins []llb.State
	for i, b := range binaries {
		built := builtBy[i]
		l := binaryLayer(built, b, opt)
		if len(b.Capabilities) > 0 {
			if l, err = capabilityLayer(built, b, opt); err != nil {
				return nil, err
			}
		}
		layers = append(layers, l)
		bins = append(bins, l.state)
	}

	states := make([]llb.State, len(layers))
	for i, l := range layers {
		states[i] = l.state
	}
	final := llb.Merge(states, opt.at(r.Pos, llb.WithCustomNamef("[%s] assemble image", formatPlatform(opt.TargetPlatform)))...)
	img := imageConfig(r, layers, opt)
	if img.Config.Labels, err = labels(r, data, opt); err != nil {
		return nil, err
	}
	return &Result{State: final, Image: img, Binaries: bins, Debug: debug}, nil
}

// parseOwner reads a validated `UID:GID` owner.
func parseOwner(s string) (uid, gid int, err error) {
	u, g, ok := strings.Cut(s, ":")
	if !ok {
		g = u
	}
	if uid, err = strconv.Atoi(u); err == nil {
		gid, err = strconv.Atoi(g)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("owner %q: want UID:GID", s)
	}
	return uid, gid, nil
}
