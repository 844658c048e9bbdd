package spec

import (
	"fmt"
	"regexp"

	"golang.org/x/mod/modfile"
)

// toolchainRE takes the Go version off a go.mod toolchain name, dropping a
// custom suffix such as "+auto" or "-corp1" (go1.26.8+auto -> 1.26.8).
var toolchainRE = regexp.MustCompile(`^go(1\.(?:0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*))?(?:(?:rc|beta)[1-9][0-9]*)?)`)

// BuilderImage picks the Go builder image: the spec's builder; else
// golang:<go>; else from go.mod (the contents of <module>/go.mod, nil when
// missing) golang:<toolchain version>, else golang:<go line>.
func BuilderImage(s *Spec, gomod []byte) (string, error) {
	switch {
	case s.Builder != "":
		return s.Builder, nil
	case s.Go != "":
		return "golang:" + s.Go, nil
	}
	dir := or(s.Module, DefaultModule)
	hint := "set go (e.g. go: 1.26) or builder (e.g. builder: golang:1.26) in the spec"
	if len(gomod) == 0 {
		return "", &Error{File: s.File(), Pos: s.Pos("module"), Msg: fmt.Sprintf("no go.mod in module directory %q to choose the Go version from", dir), Hint: hint}
	}
	f, err := modfile.ParseLax(dir+"/go.mod", gomod, nil)
	if err != nil {
		return "", &Error{File: s.File(), Pos: s.Pos("module"), Msg: fmt.Sprintf("cannot read go.mod in module directory %q", dir), Hint: hint, Err: err}
	}
	if m := toolchainRE.FindStringSubmatch(toolchain(f)); m != nil {
		return "golang:" + m[1], nil
	}
	if f.Go != nil && checkGoVersion(f.Go.Version) == nil {
		return "golang:" + f.Go.Version, nil
	}
	return "", &Error{File: s.File(), Pos: s.Pos("module"), Msg: fmt.Sprintf("go.mod in module directory %q has no usable go or toolchain line", dir), Hint: hint}
}

// toolchain is go.mod's toolchain name, read from the syntax tree because
// lax parsing (which tolerates directives newer than x/mod) skips it.
func toolchain(f *modfile.File) string {
	for _, stmt := range f.Syntax.Stmt {
		if line, ok := stmt.(*modfile.Line); ok && len(line.Token) == 2 && line.Token[0] == "toolchain" {
			return line.Token[1]
		}
	}
	return ""
}

// ModulePath is the module path declared in go.mod, or "" if there is none.
func ModulePath(gomod []byte) string {
	return modfile.ModulePath(gomod)
}
