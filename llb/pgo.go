package llb

import (
	"path"
	"strings"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
)

// Profile-guided optimisation.
//
// go build (Go 1.21 and later, -pgo=auto) compiles a main package and
// every package it imports, the standard library's included, with the
// main package's default.pgo when there is one, and the profile's content
// is part of every one of those packages' action ids. The per-binary build
// step sees the source, so it finds the profile by itself, in both cache
// modes. The precompile step of the dependency layer never sees the source:
// it gets the profile as the one file copied out of the context (keyed by
// its content, so a source edit that keeps the profile keeps the layer) and
// compiles with it, and binaries are grouped by profile as well as by tags
// (depGroups), so every build finds its dependencies precompiled with its
// own profile.

// ProfileName is the file go build -pgo=auto looks for in a main package's
// directory.
const ProfileName = "default.pgo"

// ProfileFile is where the profile of main (a main package relative to the
// module, as in the spec) is in the build context, for the module in
// directory module.
func ProfileFile(module, main string) string {
	return path.Join(module, main, ProfileName)
}

// profileOf is the context path of the profile go build uses for main, ""
// for none: main must have one (Layout.Profiles) and the spec must leave
// -pgo at auto, go's default (an explicit -pgo in goflags or GOFLAGS
// reaches the precompile step as it is, with the other compile flags).
func (o Options) profileOf(r *spec.Resolved, main string) string {
	if !pgoAuto(r) {
		return ""
	}
	for _, m := range o.Layout.Profiles {
		if m == main {
			return ProfileFile(r.Module, main)
		}
	}
	return ""
}

// pgoAuto says whether the go build flags leave -pgo at auto.
func pgoAuto(r *spec.Resolved) bool {
	for _, flags := range [][]string{r.Goflags, strings.Fields(r.Goenv["GOFLAGS"])} {
		for i, f := range flags {
			name, value, hasValue := strings.Cut(strings.TrimLeft(f, "-"), "=")
			if name != "pgo" || !strings.HasPrefix(f, "-") {
				continue
			}
			if !hasValue && i+1 < len(flags) {
				value = flags[i+1]
			}
			if value != "auto" {
				return false
			}
		}
	}
	return true
}

// profileMount mounts the profile at file in the context, alone, at
// pgoDir/ProfileName: BuildKit keys the copy on that file's content.
func (o Options) profileMount(file string, pos spec.Pos) llb.RunOption {
	st := llb.Scratch().File(
		llb.Copy(o.Context, "/"+file, "/"+ProfileName),
		o.at(pos, llb.WithCustomName("copy "+file))...,
	)
	return llb.AddMount(pgoDir, st, llb.Readonly)
}
