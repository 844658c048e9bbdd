package cli

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goscratch/goscratch/spec"
)

// Templated fields (ldflags, labels, annotations) are expanded at eject
// time, as the frontend expands them at build time: VERSION, VCS_REVISION,
// VCS_SOURCE, SOURCE_DATE_EPOCH and .Args come from the eject command's
// --build-arg values; the platform fields become the Dockerfile's
// TARGETOS/TARGETARCH/TARGETVARIANT/TARGETPLATFORM, expanded per platform.

// platformArgs are the Dockerfile args the platform fields become.
var platformArgs = []string{"TARGETOS", "TARGETARCH", "TARGETVARIANT", "TARGETPLATFORM"}

// argMark brackets a Dockerfile arg name in a rendered template.
const argMark = "\x00"

func argRef(name string) string { return argMark + name + argMark }

// templateData is the data templates see in the ejected Dockerfile.
func (e *eject) templateData(name string) spec.TemplateData {
	epoch, _ := strconv.ParseInt(e.buildArgs["SOURCE_DATE_EPOCH"], 10, 64)
	return spec.TemplateData{
		Version:  e.buildArgs["VERSION"],
		Revision: e.buildArgs["VCS_REVISION"],
		Source:   spec.RedactSource(e.buildArgs["VCS_SOURCE"]),
		Date:     time.Unix(epoch, 0).UTC().Format(time.RFC3339),
		Epoch:    epoch,
		OS:       argRef("TARGETOS"),
		Arch:     argRef("TARGETARCH"),
		Variant:  argRef("TARGETVARIANT"),
		Platform: argRef("TARGETPLATFORM"),
		Target:   e.target,
		Name:     name,
		Args:     e.buildArgs,
	}
}

// render expands a templated field; name is the binary's (ldflags) or the
// first binary's (labels, annotations).
func (e *eject) render(s, name string) (string, error) {
	return spec.Render(s, e.templateData(name))
}

// pieces splits a rendered value into literal text (even indexes) and
// Dockerfile arg names (odd indexes).
func pieces(s string) []string { return strings.Split(s, argMark) }

// isArg reports whether piece i of a rendered value is an arg name: an odd
// piece that names one of platformArgs (a NUL in a value is not a mark).
func isArg(i int, p string) bool { return i%2 == 1 && slices.Contains(platformArgs, p) }

func usesArgs(s string) bool { return strings.Contains(s, argMark) }

// shellWord quotes a rendered value for sh, with its args expanded.
func shellWord(s string) string {
	if !usesArgs(s) {
		return shellQuote(s)
	}
	var b strings.Builder
	for i, p := range pieces(s) {
		switch {
		case isArg(i, p):
			b.WriteString(`"${` + p + `}"`)
		case p != "":
			b.WriteString("'" + strings.ReplaceAll(oneLine(p), "'", `'\''`) + "'")
		}
	}
	return b.String()
}

// dockerValue quotes a rendered value for ENV and LABEL, with its args expanded.
func dockerValue(s string) string {
	if !usesArgs(s) {
		return envQuote(s)
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, `$`, `\$`)
	var b strings.Builder
	b.WriteString(`"`)
	for i, p := range pieces(s) {
		if isArg(i, p) {
			b.WriteString("${" + p + "}")
		} else {
			b.WriteString(r.Replace(oneLine(p)))
		}
	}
	b.WriteString(`"`)
	return b.String()
}

// commentValue writes a rendered value for a comment: args as $NAME.
func commentValue(s string) string {
	ps := pieces(s)
	for i, p := range ps {
		if isArg(i, p) {
			ps[i] = "$" + p
		}
	}
	return oneLine(strings.Join(ps, ""))
}
