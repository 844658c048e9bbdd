package lint

import (
	"cmp"
	"slices"
	"strings"

	"github.com/goscratch/goscratch/spec"
)

// Rules about how the binaries are built: cgo, ldflags, goflags, tags.

var cgoEnabled = &Rule{
	ID:          "CgoEnabled",
	Description: "goenv turns cgo on, so the binary is not static and will not run on scratch",
	check: func(r *run) {
		for _, b := range r.blocks() {
			if v, ok := b.t.Goenv["CGO_ENABLED"]; ok && v != "0" {
				r.report(b.at("goenv", "CGO_ENABLED"), "CGO_ENABLED=%s links against the C library, which a FROM scratch image does not have; remove it (goscratch builds with CGO_ENABLED=0)", v)
			}
		}
	},
}

// ldflagsAt visits every ldflags the spec sets: per target and per binary.
func (r *run) ldflagsAt(fn func(path, ldflags string)) {
	for _, b := range r.blocks() {
		if b.t.Ldflags != nil {
			fn(b.at("ldflags"), *b.t.Ldflags)
		}
		for i, bin := range b.t.Binaries {
			if bin.Ldflags != nil {
				fn(b.at("binaries", i, "ldflags"), *bin.Ldflags)
			}
		}
	}
}

var ldflagsNotStripped = &Rule{
	ID:          "LdflagsNotStripped",
	Description: "ldflags replace the default " + spec.DefaultLdflags + " and do not strip the symbol table",
	check: func(r *run) {
		r.ldflagsAt(func(path, ldflags string) {
			fields := strings.Fields(ldflags)
			if len(fields) == 0 || slices.Contains(fields, "-s") || slices.Contains(fields, "-s=true") {
				return // "" asks for no flags at all, on purpose
			}
			r.report(path, "ldflags %q replace the default %q: the binary keeps its symbol table and debug info (add -s -w, or write \"\" to mean none)", ldflags, spec.DefaultLdflags)
		})
	},
}

var ldflagsDuplicate = &Rule{
	ID:          "LdflagsDuplicate",
	Description: "a linker flag is given twice in ldflags",
	check: func(r *run) {
		r.ldflagsAt(func(path, ldflags string) {
			if dup := duplicateLinkerFlag(strings.Fields(ldflags)); dup != "" {
				r.report(path, "ldflags %q give %s more than once; the linker keeps the last", ldflags, dup)
			}
		})
	},
}

// duplicateLinkerFlag returns the first flag given twice: -s -s, or -X for
// the same variable twice (-X a.b=1 -X a.b=2).
func duplicateLinkerFlag(fields []string) string {
	seen := map[string]bool{}
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		if !strings.HasPrefix(f, "-") {
			continue
		}
		key := f
		if f == "-X" && i+1 < len(fields) {
			i++
			name, _, _ := strings.Cut(fields[i], "=")
			key = "-X " + name
		} else if strings.HasPrefix(f, "-X=") {
			name, _, _ := strings.Cut(f[3:], "=")
			key = "-X " + name
		}
		if seen[key] {
			return key
		}
		seen[key] = true
	}
	return ""
}

// alwaysSet are the go build flags goscratch passes itself.
var alwaysSet = []string{"-trimpath", "-trimpath=true", "-buildvcs=false"}

var redundantGoflag = &Rule{
	ID:          "RedundantGoflag",
	Description: "a goflag is one goscratch already passes, or is listed twice",
	check: func(r *run) {
		for _, b := range r.blocks() {
			seen := map[string]bool{}
			for i, f := range b.t.Goflags {
				switch {
				case slices.Contains(alwaysSet, f):
					r.report(b.at("goflags", i), "goscratch always builds with -trimpath -buildvcs=false; remove %s", f)
				case seen[f]:
					r.report(b.at("goflags", i), "%s is listed twice; remove one", f)
				}
				seen[f] = true
			}
		}
	},
}

var redundantTimetzdata = &Rule{
	ID:          "RedundantTimetzdata",
	Description: "the timetzdata tag duplicates what zoneinfo does",
	check: func(r *run) {
		top := block{t: &r.Spec.Target}
		for _, b := range r.blocks() {
			zoneinfo := cmp.Or(b.t.Zoneinfo, top.t.Zoneinfo, spec.DefaultZoneinfo)
			tagsFrom := b
			if b.t.Tags == nil {
				tagsFrom = top
			}
			if i := slices.Index(tagsFrom.t.Tags, "timetzdata"); i >= 0 {
				r.timetzdata(tagsFrom.at("tags", i), zoneinfo)
			}
			for i, bin := range b.t.Binaries {
				if j := slices.Index(bin.Tags, "timetzdata"); j >= 0 {
					r.timetzdata(b.at("binaries", i, "tags", j), zoneinfo)
				}
			}
		}
	},
}

func (r *run) timetzdata(path, zoneinfo string) {
	switch zoneinfo {
	case spec.ZoneinfoEmbed:
		r.report(path, "zoneinfo: embed already builds with -tags timetzdata; remove the tag")
	case spec.ZoneinfoCopy:
		r.report(path, "the time zone database is embedded (-tags timetzdata) and also copied to /usr/share/zoneinfo; use zoneinfo: embed instead of the tag, or zoneinfo: off")
	}
}
