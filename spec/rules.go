package spec

import (
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/distribution/reference"
)

// Value rules. Each returns nil or a problem saying what is wrong and what
// to do; the validator adds the position.

// Patterns of the rules; the field table gives them to the schema too.
const (
	goVersionPattern  = `^1\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?((rc|beta)[1-9][0-9]*)?$`
	buildTagPattern   = `^[A-Za-z0-9_.-]+$`
	envNamePattern    = `^[A-Za-z_][A-Za-z0-9_]*$`
	targetNamePattern = `^[a-z0-9][a-z0-9_.-]*$`
)

var (
	goVersionRE  = regexp.MustCompile(goVersionPattern)
	buildTagRE   = regexp.MustCompile(buildTagPattern)
	envNameRE    = regexp.MustCompile(envNamePattern)
	targetNameRE = regexp.MustCompile(targetNamePattern)
)

// checkGoVersion accepts 1.N, 1.N.P, 1.NrcK and 1.NbetaK.
func checkGoVersion(v string) *problem {
	switch {
	case goVersionRE.MatchString(v):
		return nil
	case goVersionRE.MatchString(strings.TrimPrefix(v, "go")):
		return newProblem("write "+strings.TrimPrefix(v, "go")+" without the go prefix", "go %q is not a Go version", v)
	case strings.ContainsAny(v, "-:@/"):
		return newProblem("go is a version; for another image use builder, e.g. builder: golang:1.26-alpine", "go %q is not a Go version", v)
	}
	return newProblem("e.g. go: 1.26 or go: 1.26.8", "go %q is not a Go version", v)
}

// checkImageRef checks builder image reference syntax.
func checkImageRef(ref string) *problem {
	if _, err := reference.ParseNormalizedNamed(ref); err != nil {
		return newProblem("e.g. golang:1.26 or golang:1.26@sha256:<digest>", "builder %q is not a valid image reference: %v", ref, err)
	}
	return nil
}

// checkContextPath checks a path inside the build context (module, files[].src):
// relative and not escaping the context.
func checkContextPath(field, p string) *problem {
	switch {
	case strings.Contains(p, `\`):
		return newProblem("use / as the separator", "%s %q contains a backslash", field, p)
	case path.IsAbs(p):
		return newProblem("write it relative to the build context", "%s %q is absolute", field, p)
	case escapes(p):
		return newProblem("only files in the build context can be used", "%s %q leaves the build context", field, p)
	}
	return nil
}

func escapes(p string) bool {
	c := path.Clean(p)
	return c == ".." || strings.HasPrefix(c, "../")
}

// checkMainPath checks a main package path: "." or a directory relative to the
// module ("./cmd/server"; "cmd/server" is read the same way).
func checkMainPath(m string) *problem {
	first, _, _ := strings.Cut(m, "/")
	switch {
	case strings.Contains(m, `\`):
		return newProblem("use / as the separator", "main %q contains a backslash", m)
	case path.IsAbs(m):
		return newProblem("write it relative to the module, e.g. ./cmd/server", "main %q is absolute", m)
	case strings.Contains(m, "..."):
		return newProblem("one package per binary; list several under binaries", "main %q is a pattern", m)
	case escapes(m):
		return newProblem("main is relative to the module directory; to build another module set module", "main %q leaves the module", m)
	case first != "." && first != ".." && strings.Contains(first, "."):
		return newProblem("write the directory relative to the module, e.g. ./cmd/server", "main %q looks like an import path", m)
	}
	return nil
}

// normalizeMain writes a valid main path as go build wants it: "." or "./dir".
func normalizeMain(m string) string {
	c := path.Clean(m)
	if c == "." {
		return c
	}
	return "./" + c
}

// checkBinaryName checks an output file name.
func checkBinaryName(n string) *problem {
	switch {
	case strings.Contains(n, "/"):
		return newProblem("name is a file name in "+BinDir+"; drop the directories", "name %q contains /", n)
	case n == "." || n == "..":
		return newProblem("e.g. name: server", "name %q is not a file name", n)
	case len(n) > 255:
		return newProblem("", "name is longer than 255 bytes")
	}
	return nil
}

// checkBuildTag checks one -tags element.
func checkBuildTag(t string) *problem {
	switch {
	case strings.ContainsAny(t, ", \t"):
		return newProblem("list each tag as its own item: [a, b]", "tag %q holds several tags", t)
	case !buildTagRE.MatchString(t):
		return newProblem("tags are letters, digits, _, . and -", "tag %q is not a valid build tag", t)
	}
	return nil
}

// controlledFlags are go build flags goscratch sets or cannot honour.
var controlledFlags = map[string]string{
	"o":          "goscratch sets the output path",
	"ldflags":    "use the ldflags field",
	"tags":       "use the tags field",
	"race":       "it needs cgo and goscratch builds with CGO_ENABLED=0",
	"msan":       "it needs cgo and goscratch builds with CGO_ENABLED=0",
	"asan":       "it needs cgo and goscratch builds with CGO_ENABLED=0",
	"buildmode":  "goscratch builds static executables",
	"linkshared": "goscratch builds static executables",
}

// checkGoflag checks one goflags item: a single flag the build may take.
func checkGoflag(f string) *problem {
	if !strings.HasPrefix(f, "-") {
		return newProblem("e.g. goflags: [-buildvcs=false]", "goflag %q does not start with -", f)
	}
	name, _, _ := strings.Cut(strings.TrimLeft(f, "-"), "=")
	if strings.ContainsAny(name, " \t") {
		return newProblem("list each flag as its own item", "goflag %q holds several flags", f)
	}
	if why, ok := controlledFlags[name]; ok {
		return newProblem(why, "-%s cannot be set in goflags", name)
	}
	return nil
}

// platformGoenv are set from the target platform.
var platformGoenv = []string{
	"GOOS", "GOARCH", "GOARM", "GOARM64", "GOAMD64", "GO386", "GOMIPS", "GOMIPS64",
	"GOPPC64", "GORISCV64", "GOWASM",
}

// cacheGoenv are where goscratch mounts its persistent caches.
var cacheGoenv = []string{"GOCACHE", "GOMODCACHE"}

// reservedGoenv are the goenv names checkGoenvName refuses.
func reservedGoenv() []string {
	return slices.Concat(platformGoenv, cacheGoenv, slices.Sorted(maps.Keys(replacedGoenv)))
}

func checkEnvName(field, k string) *problem {
	if !envNameRE.MatchString(k) {
		return newProblem("names are letters, digits and _, not starting with a digit", "%s name %q is not a valid variable name", field, k)
	}
	return nil
}

func checkGoenvName(k string) *problem {
	if p := checkEnvName("goenv", k); p != nil {
		return p
	}
	if slices.Contains(platformGoenv, k) {
		return newProblem("choose platforms with platforms: or --platform", "%s is set from the target platform", k)
	}
	if slices.Contains(cacheGoenv, k) {
		return newProblem("remove it", "%s is where goscratch mounts its persistent cache", k)
	}
	if why, ok := replacedGoenv[k]; ok {
		return newProblem(why, "%s cannot be set in goenv", k)
	}
	return nil
}

// checkImagePath checks an absolute, clean path in the image (workdir, files[].dst).
func checkImagePath(field, p string) *problem {
	trimmed := strings.TrimSuffix(p, "/")
	switch {
	case !path.IsAbs(p):
		return newProblem(exampleOf(field), "%s %q is not absolute", field, p)
	case trimmed != "" && path.Clean(trimmed) != trimmed:
		return newProblem("write "+path.Clean(p), "%s %q is not a clean path", field, p)
	}
	return nil
}

// checkChoice checks that v is one of the values field allows.
func checkChoice(field, v string, choices []Choice) *problem {
	values, docs := make([]string, len(choices)), make([]string, len(choices))
	for i, c := range choices {
		if v == c.Value {
			return nil
		}
		values[i], docs[i] = c.Value, c.Value+" "+c.Doc
	}
	hint := strings.Join(docs, ", ")
	if s := suggest(v, values, nil); s != "" {
		hint = "did you mean " + s + "?"
	}
	return newProblem(hint, "%s %q is not %s", field, v, orList(values))
}

// orList writes "a", "a or b", "a, b or c".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

func checkTargetName(n string) *problem {
	if !targetNameRE.MatchString(n) {
		return newProblem("use lower-case letters, digits, _, . and -, starting with a letter or digit",
			"target name %q is not valid", n)
	}
	return nil
}

func checkMode(m uint32) *problem {
	if m > 0o7777 {
		return newProblem("", "mode %s is more than 07777", fmt.Sprintf("0%o", m))
	}
	return nil
}
