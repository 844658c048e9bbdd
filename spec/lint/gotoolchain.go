package lint

import (
	"go/version"
	"regexp"

	"github.com/containerd/platforms"
	"github.com/distribution/reference"
	"github.com/goscratch/goscratch/spec"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
	"golang.org/x/mod/modfile"
)

// Rules about the Go toolchain: go.mod, go.sum and the builder image.

var missingGoSum = &Rule{
	ID:          "MissingGoSum",
	Description: "go.mod requires modules but there is no go.sum next to it",
	check: func(r *run) {
		f := r.goMod()
		if f == nil || len(f.Require) == 0 || r.HasGoSum {
			return
		}
		r.report(fieldIfSet(r.Spec, "module"), "go.mod has require lines but there is no go.sum: `go mod download` cannot verify the modules and `go build` fails (run `go mod tidy` and commit go.sum; check .dockerignore)")
	},
}

var goModNewerThanBuilder = &Rule{
	ID:          "GoModNewerThanBuilder",
	Description: "go.mod needs a newer Go than the builder image has",
	check: func(r *run) {
		f := r.goMod()
		builder := r.builderGo()
		if f == nil || f.Go == nil || builder == "" {
			return
		}
		need := "go" + f.Go.Version
		newer := version.Compare(need, builder) > 0
		if version.Lang(builder) == builder { // golang:1.26 is the newest 1.26.x
			newer = version.Compare(version.Lang(need), builder) > 0
		}
		if !newer {
			return
		}
		field := "go"
		if r.Spec.Builder != "" {
			field = "builder"
		}
		if r.Spec.Pos(field).Line == 0 {
			return // the builder came from go.mod itself
		}
		r.report(field, "go.mod says `go %s` but the builder image has Go %s; Go steps run with GOTOOLCHAIN=local and fail (raise %s or lower go.mod's go line)", f.Go.Version, builder[2:], field)
	},
}

var builderNotPinned = &Rule{
	ID:          "BuilderNotPinned",
	Description: "the builder image is a tag, not pinned by digest",
	check: func(r *run) {
		if r.Spec.Builder == "" {
			return
		}
		named, err := reference.ParseNormalizedNamed(r.Spec.Builder)
		if err != nil {
			return
		}
		if _, ok := named.(reference.Digested); ok {
			return
		}
		r.report("builder", "builder %s is a tag that can move: pin it by digest (e.g. %s@sha256:...) so every build uses the same toolchain", r.Spec.Builder, reference.FamiliarString(named))
	},
}

// platformMinGo is the first Go release that builds a platform; platforms
// every supported Go builds are absent.
func platformMinGo(p ocispecs.Platform) (string, string) {
	switch {
	case p.Architecture == "arm64" && p.Variant != "":
		return "go1.23", "GOARM64"
	case p.Architecture == "amd64" && p.Variant != "":
		return "go1.18", "GOAMD64"
	case p.Architecture == "loong64":
		return "go1.19", "GOARCH=loong64"
	}
	return "", ""
}

var platformNeedsNewerGo = &Rule{
	ID:          "PlatformNeedsNewerGo",
	Description: "a target platform needs a newer Go than the builder image has",
	check: func(r *run) {
		builder := r.builderGo()
		if builder == "" {
			return
		}
		for _, pp := range r.platforms() {
			need, what := platformMinGo(pp.p)
			if need == "" || version.Compare(version.Lang(builder), need) >= 0 {
				continue
			}
			r.report(pp.path, "platform %s needs %s, which Go supports from %s on; the builder image has %s", platforms.Format(pp.p), what, need[2:], builder[2:])
		}
	},
}

// goMod parses in.GoMod; nil when missing or unreadable (the frontend reports that).
func (r *run) goMod() *modfile.File {
	if len(r.GoMod) == 0 {
		return nil
	}
	f, err := modfile.ParseLax("go.mod", r.GoMod, nil)
	if err != nil {
		return nil
	}
	return f
}

// goTagRE takes the Go version off a golang image tag: 1.26, 1.26.8-alpine, 1.27rc1-bookworm.
var goTagRE = regexp.MustCompile(`^(1\.(?:0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*))?(?:(?:rc|beta)[1-9][0-9]*)?)(?:$|[-+])`)

// builderGo is the Go version of the builder image as go/version writes it
// ("go1.26", "go1.26.8"), read from its tag; "" when the tag says none.
func (r *run) builderGo() string {
	ref, err := spec.BuilderImage(r.Spec, r.GoMod)
	if err != nil {
		return ""
	}
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return ""
	}
	tagged, ok := named.(reference.Tagged)
	if !ok {
		return ""
	}
	m := goTagRE.FindStringSubmatch(tagged.Tag())
	if m == nil || !version.IsValid("go"+m[1]) {
		return ""
	}
	return "go" + m[1]
}

type platformAt struct {
	p    ocispecs.Platform
	path string // platforms[i] when the spec names it, else ""
}

// platforms are the request's platforms, or the spec's when it names none,
// each with the spec entry that names it.
func (r *run) platforms() []platformAt {
	var out []platformAt
	specPath := map[string]string{}
	for i, s := range r.Spec.Platforms {
		p, err := spec.ParsePlatform(s)
		if err != nil {
			continue
		}
		path := spec.FieldPath("platforms", i)
		specPath[platforms.Format(p)] = path
		if r.Platforms == nil {
			out = append(out, platformAt{p, path})
		}
	}
	for _, p := range r.Platforms {
		p = platforms.Normalize(p)
		out = append(out, platformAt{p, specPath[platforms.Format(p)]})
	}
	return out
}

// fieldIfSet is path when the spec sets that field, else "".
func fieldIfSet(s *spec.Spec, path string) string {
	if s.Pos(path).Line == 0 {
		return ""
	}
	return path
}
