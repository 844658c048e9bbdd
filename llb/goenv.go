// Package llb converts a resolved goscratch spec into BuildKit LLB and an OCI
// image config for one target platform. It is pure: it never solves and never
// talks to a gateway, so everything here is unit-tested by decoding the
// marshalled ops.
package llb

import (
	"fmt"
	"strings"

	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// GoEnv maps a target platform to the Go cross-compilation environment:
// GOOS, GOARCH and the variant variable Go uses for it (GOARM, GOAMD64,
// GOARM64). Combinations Go cannot build for a scratch image are errors.
func GoEnv(p ocispecs.Platform) (map[string]string, error) {
	if p.OS != "linux" {
		return nil, fmt.Errorf("platform %s: FROM scratch images are linux-only; use a linux/* platform", formatPlatform(p))
	}
	env := map[string]string{"GOOS": "linux", "GOARCH": p.Architecture}
	bad := func() (map[string]string, error) {
		return nil, fmt.Errorf("platform %s: variant %q is not supported for %s", formatPlatform(p), p.Variant, p.Architecture)
	}
	switch p.Architecture {
	case "amd64":
		switch p.Variant {
		case "", "v1":
			env["GOAMD64"] = "v1"
		case "v2", "v3", "v4":
			env["GOAMD64"] = p.Variant
		default:
			return bad()
		}
	case "arm":
		switch p.Variant {
		case "v5", "v6", "v7":
			env["GOARM"] = strings.TrimPrefix(p.Variant, "v")
		case "":
			env["GOARM"] = "7" // containerd normalises linux/arm to v7
		default:
			return bad()
		}
	case "arm64":
		v, ok := goarm64(p.Variant)
		if !ok {
			return bad()
		}
		if v != "" {
			env["GOARM64"] = v
		}
	case "386", "ppc64le", "ppc64", "s390x", "riscv64", "mips", "mipsle", "mips64", "mips64le", "loong64":
		if p.Variant != "" {
			return bad()
		}
	default:
		return nil, fmt.Errorf("platform %s: Go cannot build architecture %q for linux", formatPlatform(p), p.Architecture)
	}
	return env, nil
}

// goarm64 maps an OCI arm64 variant (v8, v8.2, v9.1 ...) to GOARM64. The
// default v8 needs no variable, which also keeps Go versions before 1.23
// (no GOARM64) working.
func goarm64(variant string) (string, bool) {
	switch variant {
	case "", "v8", "v8.0":
		return "", true
	}
	major, minor, ok := strings.Cut(strings.TrimPrefix(variant, "v"), ".")
	if !ok {
		minor = "0"
	}
	if len(minor) != 1 || minor[0] < '0' || minor[0] > '9' {
		return "", false
	}
	switch {
	case major == "8":
	case major == "9" && minor <= "5":
	default:
		return "", false
	}
	return "v" + major + "." + minor, true
}

func formatPlatform(p ocispecs.Platform) string {
	s := p.OS + "/" + p.Architecture
	if p.Variant != "" {
		s += "/" + p.Variant
	}
	return s
}
