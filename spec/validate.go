package spec

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
)

// Validate checks every rule of the spec and returns all problems as an
// ErrorList in file order, or nil. Parse calls it; call it yourself on a Spec
// built in Go (its errors then have no positions).
func (s *Spec) Validate() error {
	v := &validator{s: s, errs: &errSink{file: s.File()}}
	v.validate()
	return v.errs.result()
}

type validator struct {
	s    *Spec
	errs *errSink
}

// check adds p, if any, at the value of the field at path.
func (v *validator) check(path string, p *problem) {
	if p != nil {
		v.errs.add(v.s.valuePos(path), path, p.msg, p.hint)
	}
}

func (v *validator) checkErr(path string, err error) {
	if err != nil {
		v.errs.addErr(v.s.valuePos(path), path, err)
	}
}

func (v *validator) validate() {
	s := v.s
	v.top()
	v.target("", &s.Target)
	v.uniqueNames("", s.Target)
	v.test(s.Test)
	v.secrets()
	if !s.HasDefault() && len(s.Targets) == 0 && s.Test == nil && !s.isBad("main") && !s.isBad("binaries") && !s.isBad("targets") {
		v.check("", newProblem("set main, e.g. main: ./cmd/server", "nothing to build"))
	}
	for _, name := range s.TargetNames() {
		p := joinKey("targets", name)
		if prob := checkTargetName(name); prob != nil {
			v.errs.add(s.Pos(p), p, prob.msg, prob.hint)
		}
		t := s.Targets[name]
		if t == nil {
			t = &Target{}
		}
		v.target(p, t)
		v.buildable(p, name, t)
	}
}

func (v *validator) top() {
	s := v.s
	if s.Version != 0 && s.Version != 1 {
		v.check("version", newProblem("the only version is 1; a newer goscratch may know it, see # syntax=",
			"unsupported spec version %d", s.Version))
	}
	if s.Builder != "" {
		v.check("builder", checkImageRef(s.Builder))
	}
	if s.Go != "" {
		v.check("go", checkGoVersion(s.Go))
		if s.Builder != "" {
			v.check("go", newProblem("remove one: go picks golang:<go>, builder names any image", "builder and go are both set"))
		}
	}
	if s.Module != "" {
		v.check("module", checkContextPath("module", s.Module))
	}
	v.platforms()
}

func (v *validator) platforms() {
	seen := map[string]int{}
	for i, str := range v.s.Platforms {
		p := joinIndex("platforms", i)
		plat, err := ParsePlatform(str)
		if err != nil {
			v.checkErr(p, err)
			continue
		}
		key := strings.Join([]string{plat.OS, plat.Architecture, plat.Variant}, "/")
		if first, dup := seen[key]; dup {
			v.check(p, newProblem("remove one", "platform %s is already listed as platforms[%d]", str, first))
			continue
		}
		seen[key] = i
	}
}

// target checks the fields a target (or the top level, prefix "") sets.
func (v *validator) target(prefix string, t *Target) {
	v.binaries(prefix, t)
	v.list(prefix, "tags", t.Tags, checkBuildTag)
	v.list(prefix, "goflags", t.Goflags, checkGoflag)
	v.keys(prefix, "goenv", t.Goenv, checkGoenvName)
	v.goenvValues(prefix, t.Goenv)
	v.keys(prefix, "env", t.Env, func(k string) *problem { return checkEnvName("env", k) })
	v.keys(prefix, "labels", t.Labels, nonEmptyKey)
	v.keys(prefix, "annotations", t.Annotations, nonEmptyKey)
	v.templates(prefix, "labels", t.Labels)
	v.templates(prefix, "annotations", t.Annotations)
	if t.Ldflags != nil {
		v.check(joinKey(prefix, "ldflags"), checkTemplate(*t.Ldflags))
	}
	if t.User != "" {
		_, p := parseUser(t.User)
		v.check(joinKey(prefix, "user"), p)
	}
	if t.Workdir != "" {
		v.check(joinKey(prefix, "workdir"), checkImagePath("workdir", t.Workdir))
	}
	if t.Zoneinfo != "" {
		v.check(joinKey(prefix, "zoneinfo"), checkChoice("zoneinfo", t.Zoneinfo, zoneinfoModes))
	}
	v.ports(joinKey(prefix, "expose"), t.Expose)
	v.files(joinKey(prefix, "files"), t.Files)
	v.capabilities(prefix, t.Capabilities)
	v.dirs(prefix, t.Dirs)
	v.volumes(prefix, t.Volumes)
	v.healthcheck(prefix, t.Healthcheck)
	if t.StopSignal != "" {
		v.check(joinKey(prefix, "stopsignal"), checkSignal(t.StopSignal))
	}
}

func (v *validator) binaries(prefix string, t *Target) {
	at := func(f string) string { return joinKey(prefix, f) }
	if t.Main != "" {
		v.check(at("main"), checkMainPath(t.Main))
	}
	if t.Name != "" {
		v.check(at("name"), checkBinaryName(t.Name))
	}
	switch {
	case t.Binaries != nil && (t.Main != "" || v.s.isBad(at("main"))):
		v.check(at("binaries"), newProblem("use main (and name) for one binary, binaries for several", "main and binaries are both set"))
	case t.Binaries != nil && t.Name != "":
		v.check(at("name"), newProblem("set name on each entry of binaries", "name goes with main, not binaries"))
	case t.Name != "" && t.Main == "" && !v.s.isBad(at("main")):
		v.check(at("name"), newProblem("set main too, e.g. main: ./cmd/server", "name is set without main"))
	case t.Binaries != nil && len(t.Binaries) == 0 && !v.s.isBad(at("binaries")):
		v.check(at("binaries"), newProblem(exampleOf("binaries"), "binaries is empty"))
	}
	for i, b := range t.Binaries {
		p := joinIndex(at("binaries"), i)
		if b.Main != "" {
			v.check(joinKey(p, "main"), checkMainPath(b.Main))
		}
		if b.Name != "" {
			v.check(joinKey(p, "name"), checkBinaryName(b.Name))
		}
		v.list(p, "tags", b.Tags, checkBuildTag)
		if b.Ldflags != nil {
			v.check(joinKey(p, "ldflags"), checkTemplate(*b.Ldflags))
		}
		v.capabilities(p, b.Capabilities)
	}
}

// templates checks the templated values of a map field, at each value.
func (v *validator) templates(prefix, field string, m map[string]string) {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v.check(joinKey(joinKey(prefix, field), k), checkTemplate(m[k]))
	}
}

func (v *validator) list(prefix, field string, items []string, rule func(string) *problem) {
	for i, item := range items {
		v.check(joinIndex(joinKey(prefix, field), i), rule(item))
	}
}

// keys checks map keys, in sorted order, at each key's position.
func (v *validator) keys(prefix, field string, m map[string]string, rule func(string) *problem) {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		p := joinKey(joinKey(prefix, field), k)
		if prob := rule(k); prob != nil {
			v.errs.add(v.s.Pos(p), p, prob.msg, prob.hint)
		}
	}
}

func nonEmptyKey(k string) *problem {
	if k == "" {
		return newProblem("", "empty key")
	}
	return nil
}

func (v *validator) ports(prefix string, ports []Port) {
	seen := map[Port]int{}
	for i, port := range ports {
		p := joinIndex(prefix, i)
		if prob := checkPort(port); prob != nil {
			v.check(p, prob)
			continue
		}
		if first, dup := seen[port]; dup {
			v.check(p, newProblem("remove one", "port %s is already listed as %s", port, joinIndex(fieldName(prefix), first)))
			continue
		}
		seen[port] = i
	}
}

func (v *validator) files(prefix string, files []File) {
	for i, f := range files {
		p := joinIndex(prefix, i)
		if f.Src != "" {
			v.check(joinKey(p, "src"), checkContextPath("src", f.Src))
		}
		if f.Dst != "" {
			v.check(joinKey(p, "dst"), checkImagePath("dst", f.Dst))
		}
		if f.Mode != nil {
			v.check(joinKey(p, "mode"), checkMode(*f.Mode))
		}
		if f.Owner != "" {
			v.check(joinKey(p, "owner"), checkOwner(f.Owner))
		}
	}
}

// buildable checks what a named target builds once inheritance is applied.
func (v *validator) buildable(path, name string, t *Target) {
	eff := inherit(v.s.Target, t)
	if len(eff.Binaries) == 0 && eff.Main == "" {
		if !v.s.isBad(joinKey(path, "main")) && !v.s.isBad(joinKey(path, "binaries")) && t.Binaries == nil {
			v.errs.add(v.s.Pos(path), path, fmt.Sprintf("target %s has nothing to build", name),
				"set main in the target or at the top level")
		}
		return
	}
	if t.Main == "" && t.Binaries == nil {
		return // the top level's binaries, checked there
	}
	v.uniqueNames(path, eff)
}

// uniqueNames reports binaries that would get the same file name. Names
// derived from main "." need the module path and are checked by Resolve.
func (v *validator) uniqueNames(prefix string, t Target) {
	seen := map[string]bool{}
	for i, b := range t.Binaries {
		name := b.Name
		if name == "" && b.Main != "" && checkMainPath(b.Main) == nil && path.Clean(b.Main) != "." {
			name = defaultName(normalizeMain(b.Main))
		}
		if name == "" {
			continue
		}
		if seen[name] {
			p := joinIndex(joinKey(prefix, "binaries"), i)
			v.errs.add(v.s.Pos(p), p, fmt.Sprintf("two binaries are named %s", name), "set a different name on one of them")
		}
		seen[name] = true
	}
}
