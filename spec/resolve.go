package spec

import (
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
)

// HasDefault reports whether the top level builds something (sets main or
// binaries), so that Resolve("") works without --target.
func (s *Spec) HasDefault() bool {
	return s.Main != "" || s.Binaries != nil
}

// TargetNames are the names of the spec's targets, sorted. The default
// (top-level) target is not among them; see HasDefault.
func (s *Spec) TargetNames() []string {
	return slices.Sorted(maps.Keys(s.Targets))
}

// Resolve returns the target named target ("" for the top level) with
// inheritance and every default applied. modulePath is go.mod's module path
// (see ModulePath); it names the binary of main "."; when it is "" the
// module directory's base name is used. The spec must be valid (Parse, or
// Validate for a spec built in Go).
func (s *Spec) Resolve(target, modulePath string) (*Resolved, error) {
	if s.hasTest(target) {
		return s.resolveTest(), nil
	}
	t, binPrefix, err := s.pick(target)
	if err != nil {
		return nil, err
	}
	user, prob := parseUser(or(t.User, DefaultUser))
	if prob != nil {
		return nil, s.errorAt(joinKey(binPrefix, "user"), prob)
	}
	r := &Resolved{
		Target:      target,
		Module:      s.module(),
		Goflags:     slices.Clone(t.Goflags),
		Goenv:       cloneMap(t.Goenv),
		Entrypoint:  slices.Clone(t.Entrypoint),
		Cmd:         slices.Clone(t.Cmd),
		Env:         cloneMap(t.Env),
		User:        user,
		Workdir:     or(t.Workdir, DefaultWorkdir),
		Expose:      slices.Clone(t.Expose),
		Labels:      cloneMap(t.Labels),
		Annotations: cloneMap(t.Annotations),
		Certs:       valueOr(t.Certs, DefaultCerts),
		Zoneinfo:    or(t.Zoneinfo, DefaultZoneinfo),
		Files:       resolveFiles(t.Files),
		Dirs:        resolveDirs(t.Dirs, user),
		Volumes:     cleanPaths(t.Volumes),
		Healthcheck: resolveHealthcheck(t.Healthcheck),
		Debug:       valueOr(t.Debug, DefaultDebug),
		Secrets:     s.resolveSecrets(),
		SSH:         valueOr(s.SSH, false),
		Pos:         s.targetPos(target),
		fieldPos:    s.fieldPositions(target),
	}
	if r.Binaries, err = s.resolveBinaries(t, binPrefix, r, modulePath); err != nil {
		return nil, err
	}
	if t.Entrypoint == nil {
		r.Entrypoint = []string{BinDir + "/" + r.Binaries[0].Name}
	}
	if t.StopSignal != "" {
		r.StopSignal = canonicalSignal(t.StopSignal)
	}
	return r, nil
}

// pick returns the effective target and the path prefix its binaries come from.
func (s *Spec) pick(target string) (Target, string, error) {
	names := s.TargetNames()
	if target == "" {
		switch {
		case s.HasDefault():
			return s.Target, "", nil
		case len(names) > 0:
			return Target{}, "", &Error{File: s.File(), Pos: s.Pos("targets"), Hint: s.targetHint(names),
				Msg: "the spec has no top-level main; choose a target with --target"}
		case s.Test != nil:
			return Target{}, "", &Error{File: s.File(), Pos: s.Pos("test"), Hint: "run the tests with --target test",
				Msg: "the spec only has a test target"}
		}
		return Target{}, "", s.errorAt("", newProblem("set main, e.g. main: ./cmd/server", "nothing to build"))
	}
	t, ok := s.Targets[target]
	if t == nil {
		t = &Target{}
	}
	if !ok {
		hint := s.targetHint(names)
		if target == TestTarget {
			hint = "add test: {} to the spec to run go test with --target test; " + hint
		}
		candidates := names
		if s.Test != nil {
			candidates = append(slices.Clone(names), TestTarget)
		}
		if near := suggest(target, candidates, nil); near != "" {
			hint = "did you mean " + near + "? " + hint
		}
		return Target{}, "", &Error{File: s.File(), Msg: fmt.Sprintf("unknown target %q", target), Hint: hint}
	}
	prefix := ""
	if t.Main != "" || t.Binaries != nil {
		prefix = joinKey("targets", target)
	}
	return inherit(s.Target, t), prefix, nil
}

// inherit applies the rule for targets: a target inherits every field it
// does not set; a field it sets replaces the top level's, except the maps
// (goenv, env, labels, annotations), which are merged key by key (the forms
// in form.go say which); main, name and binaries go together.
func inherit(top Target, t *Target) Target {
	if t == nil {
		return top
	}
	out := top
	if t.Main != "" || t.Binaries != nil {
		out.Main, out.Name, out.Binaries = t.Main, t.Name, t.Binaries
	}
	for _, row := range targetTable {
		if row.inherit != nil {
			row.inherit(&out, t)
		}
	}
	return out
}

// cloneMap copies m; the result is never nil.
func cloneMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	maps.Copy(out, m)
	return out
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// valueOr is *p, or def when p is nil (the field is not set).
func valueOr[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

// module is the clean directory of go.mod in the context.
func (s *Spec) module() string {
	return path.Clean(or(s.Module, DefaultModule))
}

// buildTags are the tags of a build: lists, plus timetzdata for zoneinfo
// embed; sorted, each once.
func buildTags(zoneinfo string, lists ...[]string) []string {
	tags := slices.Concat(lists...)
	if zoneinfo == ZoneinfoEmbed {
		tags = append(tags, "timetzdata")
	}
	slices.Sort(tags)
	return slices.Compact(tags)
}

func (s *Spec) resolveBinaries(t Target, prefix string, r *Resolved, modulePath string) ([]ResolvedBinary, error) {
	bins := t.Binaries
	if t.Main != "" {
		bins = []Binary{{Main: t.Main, Name: t.Name}}
	}
	var out []ResolvedBinary
	seen := map[string]bool{}
	for i, b := range bins {
		p := joinKey(prefix, "main")
		if t.Main == "" {
			p = joinKey(joinIndex(joinKey(prefix, "binaries"), i), "main")
		}
		rb, err := s.resolveBinary(b, t, p, r, modulePath)
		if err != nil {
			return nil, err
		}
		if seen[rb.Name] {
			return nil, s.errorAt(p, newProblem("set a different name on one of them", "two binaries are named %s", rb.Name))
		}
		seen[rb.Name] = true
		out = append(out, rb)
	}
	return out, nil
}

func (s *Spec) resolveBinary(b Binary, t Target, mainPath string, r *Resolved, modulePath string) (ResolvedBinary, error) {
	main := normalizeMain(b.Main)
	name := b.Name
	if name == "" {
		from := main
		if main == "." {
			from = modulePath
			if from == "" && r.Module != "." {
				from = r.Module
			}
		}
		if from == "" {
			return ResolvedBinary{}, s.errorAt(mainPath, newProblem("set name",
				"cannot name the binary of main %q without the module path", b.Main))
		}
		name = defaultName(from)
	}
	ldflags := DefaultLdflags
	switch {
	case b.Ldflags != nil:
		ldflags = *b.Ldflags
	case t.Ldflags != nil:
		ldflags = *t.Ldflags
	}
	caps := t.Capabilities
	if b.Capabilities != nil {
		caps = b.Capabilities
	}
	return ResolvedBinary{
		Main:         main,
		Name:         name,
		Tags:         buildTags(r.Zoneinfo, t.Tags, b.Tags),
		Ldflags:      ldflags,
		Capabilities: resolveCapabilities(caps),
		Pos:          s.Pos(mainPath),
	}, nil
}

var majorVersion = regexp.MustCompile(`^v[0-9]+$`)

// defaultName is go build's default output name for a package path: its last
// element, skipping a major-version suffix (example.com/app/v2 -> app).
func defaultName(pkg string) string {
	pkg = strings.TrimSuffix(pkg, "/")
	dir, elem := path.Split(pkg)
	if majorVersion.MatchString(elem) && dir != "" && dir != "./" {
		_, elem = path.Split(strings.TrimSuffix(dir, "/"))
	}
	return elem
}

func resolveFiles(files []File) []File {
	out := slices.Clone(files)
	for i := range out {
		out[i].Src = path.Clean(out[i].Src)
	}
	return out
}

// targetPos is where a target is declared: its key under targets, or the
// top level's main / binaries.
func (s *Spec) targetPos(target string) Pos {
	if target != "" {
		return s.Pos(joinKey("targets", target))
	}
	if s.Main != "" {
		return s.Pos("main")
	}
	return s.Pos("binaries")
}

// errorAt returns p as an *Error at the field at path.
func (s *Spec) errorAt(path string, p *problem) *Error {
	return &Error{File: s.File(), Pos: s.valuePos(path), Path: path, Msg: p.msg, Hint: p.hint}
}
