package spec

import (
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
)

// Private modules: secrets and the ssh agent for the download step, and the
// rule that no credential is written where it would be recorded.

// NetrcSecret is the secret id mounted, by default, as the netrc file go and
// git read for HTTPS credentials.
const NetrcSecret = "netrc"

// ResolvedSecret is a secret with its defaults applied: exactly one of
// Target and Env is set.
type ResolvedSecret struct {
	ID       string
	Target   string // absolute file path, or ""
	Env      string // environment variable name, or ""
	Required bool
	Pos      Pos // the secrets entry, for source maps
}

// secretIDPattern is what a --secret id may hold.
const secretIDPattern = `^[A-Za-z0-9_.-]+$`

var secretIDRE = regexp.MustCompile(secretIDPattern)

// secrets decodes the secrets list; a string item is short for {id: item}.
func (d *decoder) secrets(n *node, path string) []Secret {
	out := []Secret{}
	if !d.items(n, path, func(item *node, p string) {
		out = append(out, d.secret(item, p))
	}) {
		return nil
	}
	return out
}

func (d *decoder) secret(n *node, path string) Secret {
	var s Secret
	if n.kind != mapKind {
		id := joinKey(path, "id")
		d.src.keys[id], d.src.values[id] = n.pos, n.pos
		s.ID = d.required(n, id)
		return s
	}
	nested(d, n, path, secretTable, &s)
	return s
}

func (v *validator) secrets() {
	ids, targets, envs := map[string]int{}, map[string]int{}, map[string]int{}
	for i, sec := range v.s.Secrets {
		p := joinIndex("secrets", i)
		if sec.ID != "" {
			if prob := checkSecretID(sec.ID); prob != nil {
				v.check(joinKey(p, "id"), prob)
			} else if first, dup := ids[sec.ID]; dup {
				v.check(joinKey(p, "id"), newProblem("list each secret once", "secret %s is already secrets[%d]", sec.ID, first))
			} else {
				ids[sec.ID] = i
			}
		}
		if sec.Target != "" && sec.Env != "" {
			v.check(joinKey(p, "env"), newProblem("a secret is a file (target) or a variable (env), not both", "target and env are both set"))
		}
		if sec.Target != "" {
			v.check(joinKey(p, "target"), checkSecretTarget(sec.Target))
			if first, dup := targets[path.Clean(sec.Target)]; dup {
				v.check(joinKey(p, "target"), newProblem("give each secret its own file", "secrets[%d] is already mounted at %s", first, sec.Target))
			}
			targets[path.Clean(sec.Target)] = i
		}
		if sec.Env != "" {
			if prob := checkEnvName("env", sec.Env); prob != nil {
				v.check(joinKey(p, "env"), prob)
			} else if first, dup := envs[sec.Env]; dup {
				v.check(joinKey(p, "env"), newProblem("give each secret its own variable", "secrets[%d] already sets %s", first, sec.Env))
			}
			envs[sec.Env] = i
		}
	}
}

func checkSecretID(id string) *problem {
	if !secretIDRE.MatchString(id) {
		return newProblem("ids are letters, digits, _, . and -, as in --secret id=netrc", "secret id %q is not valid", id)
	}
	return nil
}

// checkSecretTarget checks where a secret file is mounted: absolute, clean,
// not a directory goscratch mounts for itself.
func checkSecretTarget(p string) *problem {
	switch {
	case !path.IsAbs(p):
		return newProblem("e.g. target: /root/.netrc", "target %q is not absolute", p)
	case path.Clean(p) != p:
		return newProblem("write "+path.Clean(p), "target %q is not a clean path", p)
	case p == "/" || p == "/goscratch" || strings.HasPrefix(p, "/goscratch/"):
		return newProblem("choose a file such as /run/secrets/<id>", "target %q is where goscratch mounts its own files", p)
	}
	return nil
}

// resolveSecrets applies the defaults: a file at /run/secrets/<id>, or
// /root/.netrc for the id netrc.
func (s *Spec) resolveSecrets() []ResolvedSecret {
	var out []ResolvedSecret
	for i, sec := range s.Secrets {
		r := ResolvedSecret{ID: sec.ID, Target: sec.Target, Env: sec.Env, Required: valueOr(sec.Required, false),
			Pos: s.Pos(joinIndex("secrets", i))}
		switch {
		case r.Target != "" || r.Env != "":
		case r.ID == NetrcSecret:
			r.Target = "/root/.netrc"
		default:
			r.Target = "/run/secrets/" + r.ID
		}
		out = append(out, r)
	}
	return out
}

// CheckGoenvValue checks the value of a go environment variable (from goenv
// or a build argument) for credentials written into it (see
// ProxyCredentials for which variables and forms).
func CheckGoenvValue(name, value string) error {
	if p := checkGoenvValue(name, value); p != nil {
		return p
	}
	return nil
}

func checkGoenvValue(name, value string) *problem {
	redacted, ok := ProxyCredentials(name, value)
	if !ok {
		return checkGoenvSetting(name, value)
	}
	return newProblem(credentialsHint(name), "%s holds credentials (%s)", name, redacted)
}

// goenvValues checks the values of goenv at prefix.
func (v *validator) goenvValues(prefix string, goenv map[string]string) {
	for _, k := range slices.Sorted(maps.Keys(goenv)) {
		if p := checkGoenvValue(k, goenv[k]); p != nil {
			v.check(joinKey(joinKey(prefix, "goenv"), k), p)
		}
	}
}
