package cli

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/goscratch/goscratch/spec"
)

// The starter spec: which module it builds, which binaries, which one is
// the entrypoint and why.

// initPlan is the spec init writes for a project.
type initPlan struct {
	p        *initProject
	module   *initModule   // the spec's module:, the directory main paths are relative to
	binaries []*initBinary // the entrypoint first, then path order
	why      string        // why the first binary is the entrypoint; "" when there was no choice
	left     []initMain    // main packages of used modules outside module: no spec path reaches them
}

// initBinary is one entry of the spec's binaries.
type initBinary struct {
	initMain
	main    string // relative to the spec's module: "." or "./cmd/x"
	natural string // the name go build gives it: its import path's last element
	name    string // the binary's name in the image
}

// planSpec chooses the entrypoint, then the spec's module: the outermost
// used module holding the entrypoint's package, since a main path may not
// leave the module but go, in a workspace, builds a directory under the
// module that belongs to another used module in that module. The binaries
// are the main packages the module reaches.
func planSpec(p *initProject) (*initPlan, error) {
	all := p.mains()
	if len(all) == 0 {
		if p.work {
			return nil, fmt.Errorf("no module of the workspace %s has a main package to build", p.root)
		}
		return nil, fmt.Errorf("module %s has no main package to build", p.modules[0].path)
	}
	natural := make([]string, len(all))
	for i, m := range all {
		natural[i] = naturalName(m)
	}
	entry, why := pickEntrypoint(p, all, natural)
	pl := &initPlan{p: p, module: all[entry].mod}
	for _, m := range p.modules {
		if within(pl.module.dir, m.dir) && depth(m.dir) < depth(pl.module.dir) {
			pl.module = m
		}
	}
	var first *initBinary
	for i, m := range all {
		if !within(m.mod.dir, pl.module.dir) {
			pl.left = append(pl.left, m)
			continue
		}
		b := &initBinary{initMain: m, main: relMain(pl.module.dir, m.dir), natural: natural[i]}
		pl.binaries = append(pl.binaries, b)
		if i == entry {
			first = b
		}
	}
	pl.nameBinaries()
	if len(all) > 1 {
		pl.why = why
	}
	i := slices.Index(pl.binaries, first)
	pl.binaries = slices.Concat([]*initBinary{first}, pl.binaries[:i], pl.binaries[i+1:])
	return pl, nil
}

// pickEntrypoint is the index in mains (path order) of the entrypoint and
// why: the first named like --dir's module, else like the repository
// directory, else the first of --dir's module (in a workspace run from a
// member), else the first.
func pickEntrypoint(p *initProject, mains []initMain, natural []string) (int, string) {
	var not []string
	if p.hereMod != nil {
		if i := slices.Index(natural, binaryName(".", p.hereMod.path)); i >= 0 {
			return i, "named like the module " + p.hereMod.path
		}
		not = append(not, "the module "+p.hereMod.path)
	}
	if i := slices.Index(natural, p.name); i >= 0 {
		return i, "named like the repository directory " + p.name
	}
	not = append(not, "the repository directory "+p.name)
	none := "none is named like " + strings.Join(not, " or ")
	if p.hereMod != nil && len(p.modules) > 1 {
		if i := slices.IndexFunc(mains, func(m initMain) bool { return m.mod == p.hereMod }); i >= 0 {
			return i, "the first main package of " + p.hereMod.path + " in path order: " + none
		}
	}
	return 0, "the first main package in path order: " + none
}

// naturalName is the name go build gives main's binary: the last element
// of its import path, without a major version suffix.
func naturalName(m initMain) string {
	if m.dir == m.mod.dir {
		return binaryName(".", m.mod.path)
	}
	return binaryName("./"+m.dir, m.mod.path)
}

// binaryName is the spec's default name of a binary with this main in a
// module with this path (spec.Resolve's own rule).
func binaryName(main, modulePath string) string {
	s := &spec.Spec{Target: spec.Target{Main: main}}
	if r, err := s.Resolve("", modulePath); err == nil && len(r.Binaries) == 1 {
		return r.Binaries[0].Name
	}
	return path.Base(main)
}

// nameBinaries gives every binary a distinct name: its natural name; when
// several share one, each gets a qualifier (its module's name, or the
// directory above it that is not cmd) and then a number if still needed.
func (pl *initPlan) nameBinaries() {
	count := map[string]int{}
	for _, b := range pl.binaries {
		count[b.natural]++
	}
	used := map[string]bool{}
	for _, b := range pl.binaries {
		name := b.natural
		if q := pl.qualifier(b); count[name] > 1 && q != "" && q != name {
			name = q + "-" + name
		}
		for n := 2; used[name]; n++ {
			name = fmt.Sprintf("%s-%d", b.natural, n)
		}
		used[name] = true
		b.name = name
	}
}

func (pl *initPlan) qualifier(b *initBinary) string {
	if b.mod != pl.module {
		return binaryName(".", b.mod.path)
	}
	rel := strings.TrimPrefix(b.main, "./")
	for d := path.Dir(rel); d != "."; d = path.Dir(d) {
		if e := path.Base(d); e != "cmd" {
			return e
		}
	}
	return ""
}

// specName is the name: field a binary needs: "" when the spec's default is right.
func (pl *initPlan) specName(b *initBinary) string {
	if binaryName(b.main, pl.module.path) == b.name {
		return ""
	}
	return b.name
}

func (pl *initPlan) leftDirs() []string {
	out := make([]string, len(pl.left))
	for i, m := range pl.left {
		out[i] = "./" + m.dir
	}
	return out
}

// render writes the spec.
func (pl *initPlan) render() string {
	p := pl.p
	var b strings.Builder
	fmt.Fprintf(&b, "# syntax=%s\n", syntaxImage)
	fmt.Fprintf(&b, "# yaml-language-server: $schema=%s\n", schemaURL)
	if p.work {
		uses := make([]string, len(p.modules))
		for i, m := range p.modules {
			uses[i] = dotSlash(m.dir)
		}
		ctxDir := "its directory"
		if p.here != "." {
			ctxDir = "its directory (" + upTo(p.here) + ")"
		}
		text := fmt.Sprintf("A go.work workspace: build with %s as the context. It uses %s. Main paths are relative to module %s (%s)",
			ctxDir, list(uses), dotSlash(pl.module.dir), pl.module.path)
		if slices.ContainsFunc(pl.binaries, func(b *initBinary) bool { return b.mod != pl.module }) {
			text += "; a path into another used module builds that module's package"
		}
		comment(&b, text+".")
	}
	for _, m := range p.modules {
		var dirs []string
		for _, l := range pl.left {
			if l.mod == m {
				dirs = append(dirs, relMain(m.dir, l.dir))
			}
		}
		if len(dirs) > 0 {
			them := "it"
			if len(dirs) > 1 {
				them = "them"
			}
			comment(&b, fmt.Sprintf("Not in this spec: %s of module %s (%s). Main paths cannot leave module %s: build %s with a second spec that says module: %s.",
				list(dirs), dotSlash(m.dir), m.path, dotSlash(pl.module.dir), them, m.dir))
		}
	}
	if p.workOff {
		comment(&b, "GOWORK=off: the build ignores go.work, as init did.")
	}
	if pl.why != "" {
		text := fmt.Sprintf("entrypoint: %s (%s)", pl.binaries[0].name, pl.why)
		if len(pl.binaries) > 1 {
			text += "; the image runs the first binary"
		}
		comment(&b, text+".")
	}
	if pl.module.dir != "." {
		fmt.Fprintf(&b, "module: %s\n", pl.module.dir)
	}
	if len(pl.binaries) == 1 {
		bin := pl.binaries[0]
		fmt.Fprintf(&b, "main: %s%s\n", bin.main, pl.fromComment(bin))
		if n := pl.specName(bin); n != "" {
			fmt.Fprintf(&b, "name: %s\n", n)
		}
	} else {
		b.WriteString("binaries:\n")
		for _, bin := range pl.binaries {
			fmt.Fprintf(&b, "  - main: %s%s\n", bin.main, pl.fromComment(bin))
			if n := pl.specName(bin); n != "" {
				fmt.Fprintf(&b, "    name: %s\n", n)
			}
		}
	}
	if p.workOff {
		b.WriteString("goenv:\n  GOWORK: \"off\"\n")
	}
	b.WriteString("platforms: [linux/amd64, linux/arm64]\n")
	return b.String()
}

// fromComment names the module of a package that is not the spec's module.
func (pl *initPlan) fromComment(b *initBinary) string {
	if b.mod == pl.module {
		return ""
	}
	return " # module " + b.mod.path
}

// check parses text and resolves it as validate would.
func (pl *initPlan) check(text string) error {
	s, err := spec.Parse("goscratch.yaml", []byte(text))
	if err != nil {
		return err
	}
	r, err := s.Resolve("", pl.module.path)
	if err != nil {
		return err
	}
	if r.Module != pl.module.dir || len(r.Binaries) != len(pl.binaries) || r.Entrypoint[0] != spec.BinDir+"/"+pl.binaries[0].name {
		return fmt.Errorf("module %s, %d binaries, entrypoint %v: want module %s, %d binaries, entrypoint %s",
			r.Module, len(r.Binaries), r.Entrypoint, pl.module.dir, len(pl.binaries), pl.binaries[0].name)
	}
	return nil
}

// comment writes text as # lines of at most 80 columns.
func comment(b *strings.Builder, text string) {
	line := "#"
	for _, w := range strings.Fields(text) {
		if len(line)+1+len(w) > 80 && line != "#" {
			b.WriteString(line + "\n")
			line = "#"
		}
		line += " " + w
	}
	b.WriteString(line + "\n")
}

// list joins items as "a, b and c".
func list(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// within reports whether dir is base or below it (slash paths, "." the root).
func within(dir, base string) bool {
	return base == "." || dir == base || strings.HasPrefix(dir, base+"/")
}

func depth(dir string) int {
	if dir == "." {
		return 0
	}
	return strings.Count(dir, "/") + 1
}

// relMain is the main path of the package in dir for a module in base.
func relMain(base, dir string) string {
	if dir == base {
		return "."
	}
	if base != "." {
		dir = strings.TrimPrefix(dir, base+"/")
	}
	return "./" + dir
}

// dotSlash writes a directory as go.work does: "." or "./dir".
func dotSlash(dir string) string {
	if dir == "." {
		return dir
	}
	return "./" + dir
}

// upTo is the relative path from dir back to the root: "../..".
func upTo(dir string) string {
	return strings.TrimSuffix(strings.Repeat("../", depth(dir)), "/")
}
