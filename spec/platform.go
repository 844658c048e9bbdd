package spec

import (
	"fmt"
	"slices"
	"strings"

	"github.com/containerd/platforms"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// goArches are the architectures Go builds for linux.
var goArches = []string{
	"386", "amd64", "arm", "arm64", "loong64", "mips", "mips64", "mips64le",
	"mipsle", "ppc64", "ppc64le", "riscv64", "s390x",
}

// variants are the platform variants goscratch maps to GOARM, GOAMD64 and
// GOARM64, as containerd normalises them: arm always has one (v7 by default),
// amd64 v1 and arm64 v8 / v8.0 are the empty variant, arm64 v9.0 is v9.
var variants = map[string][]string{
	"arm":   {"v5", "v6", "v7"},
	"amd64": {"", "v2", "v3", "v4"},
	"arm64": {"", "v8.1", "v8.2", "v8.3", "v8.4", "v8.5", "v8.6", "v8.7", "v8.8", "v8.9",
		"v9", "v9.1", "v9.2", "v9.3", "v9.4", "v9.5"},
}

// ParsePlatform parses an os/arch[/variant] specifier such as linux/arm/v7,
// normalises it the way BuildKit does (containerd platforms.Normalize) and
// checks it with CheckPlatform.
func ParsePlatform(s string) (ocispecs.Platform, error) {
	if s == "" {
		return ocispecs.Platform{}, newProblem("e.g. linux/amd64", "platform is empty")
	}
	if !strings.Contains(s, "/") {
		hint := "e.g. linux/amd64"
		if slices.Contains(goArches, s) {
			hint = "did you mean linux/" + s + "?"
		}
		return ocispecs.Platform{}, newProblem(hint, "platform %q needs os/arch", s)
	}
	p, err := platforms.Parse(s)
	if err != nil {
		return ocispecs.Platform{}, newProblem("write os/arch[/variant], e.g. linux/arm/v7", "platform %q is not valid", s)
	}
	p = platforms.Normalize(p)
	return p, checkPlatform(s, p)
}

// CheckPlatform reports whether goscratch can build p: linux, an
// architecture Go supports there, and a variant valid for it. Use it on the
// platforms of a build request so they get the same rules as the spec's.
func CheckPlatform(p ocispecs.Platform) error {
	p = platforms.Normalize(p)
	return checkPlatform(platforms.Format(p), p)
}

// checkPlatform checks normalised p, naming it as the user wrote it.
func checkPlatform(name string, p ocispecs.Platform) error {
	switch {
	case p.OS != "linux":
		return checkOS(name, p)
	case p.OSVersion != "" || len(p.OSFeatures) > 0:
		return newProblem("write linux/"+p.Architecture, "platform %s: os version and features are not supported", name)
	case !slices.Contains(goArches, p.Architecture):
		hint := "Go builds linux for " + strings.Join(goArches, ", ")
		if s := suggest(p.Architecture, goArches, nil); s != "" {
			hint = "did you mean linux/" + s + "?"
		}
		return newProblem(hint, "platform %s: unknown architecture %q", name, p.Architecture)
	}
	return checkVariant(name, p)
}

func checkOS(name string, p ocispecs.Platform) error {
	if suggest(p.OS, []string{"linux"}, nil) == "linux" {
		return newProblem("did you mean linux/"+p.Architecture+"?", "platform %s: unknown os %q", name, p.OS)
	}
	return newProblem("use linux/"+p.Architecture, "platform %s: FROM scratch images are linux-only", name)
}

func checkVariant(name string, p ocispecs.Platform) error {
	valid, ok := variants[p.Architecture]
	if !ok {
		valid = []string{""}
	}
	if slices.Contains(valid, p.Variant) {
		return nil
	}
	var hint string
	switch {
	case p.Architecture == "arm" && p.Variant == "v8":
		hint = "64-bit ARM is linux/arm64"
	case len(valid) == 1:
		hint = fmt.Sprintf("%s has no variants; write linux/%s", p.Architecture, p.Architecture)
	default:
		hint = "valid variants: " + strings.Join(variantNames(p.Architecture, valid), ", ")
	}
	return newProblem(hint, "platform %s: variant %q is not valid for %s", name, p.Variant, p.Architecture)
}

// DefaultPlatforms are the spec's platforms, parsed and normalised; nil when
// the spec names none (the build platform is then the default).
func (s *Spec) DefaultPlatforms() ([]ocispecs.Platform, error) {
	var out []ocispecs.Platform
	for _, str := range s.Platforms {
		p, err := ParsePlatform(str)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// variantNames spells the empty (baseline) variant as users write it.
func variantNames(arch string, valid []string) []string {
	baseline := map[string]string{"amd64": "v1", "arm64": "v8"}[arch]
	names := make([]string, len(valid))
	for i, v := range valid {
		names[i] = or(v, baseline)
	}
	return names
}
