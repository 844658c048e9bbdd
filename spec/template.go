package spec

import (
	"bytes"
	"strings"
	"text/template"
)

// TemplateData is what the templated fields — ldflags (target and binary),
// labels and annotations — can use, with Go text/template syntax:
//
//	ldflags: -s -w -X main.version={{.Version}} -X main.commit={{.Revision}}
//	annotations: {org.opencontainers.image.version: "{{.Version}}-{{.Arch}}"}
type TemplateData struct {
	// Version is the VERSION build arg ("" when not given).
	Version string
	// Revision is the VCS revision: the VCS_REVISION build arg, else the
	// vcs:revision buildx sends for a git checkout.
	Revision string
	// Source is the VCS source URL: the VCS_SOURCE build arg, else buildx's vcs:source.
	Source string
	// Date is the epoch (SOURCE_DATE_EPOCH, default 1970-01-01) in RFC 3339.
	Date string
	// Epoch is the epoch in Unix seconds.
	Epoch int64
	// OS, Arch and Variant of the target platform; Platform is os/arch[/variant].
	// Empty in index annotations, which cover every platform.
	OS, Arch, Variant, Platform string
	// Target is the --target name ("" for the default target).
	Target string
	// Name is the binary's name (ldflags only; the first binary elsewhere).
	Name string
	// Args are the build args: {{index .Args "NAME"}}.
	Args map[string]string
}

func parseTemplate(s string) (*template.Template, error) {
	return template.New("").Option("missingkey=zero").Parse(s)
}

// Render expands a templated field. Text without "{{" is returned as is.
func Render(s string, d TemplateData) (string, error) {
	if !strings.Contains(s, "{{") {
		return s, nil
	}
	t, err := parseTemplate(s)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, d); err != nil {
		return "", err
	}
	return b.String(), nil
}

// checkTemplate reports a template that does not parse or uses a field
// TemplateData does not have.
func checkTemplate(s string) *problem {
	if !strings.Contains(s, "{{") {
		return nil
	}
	if _, err := Render(s, TemplateData{Args: map[string]string{}}); err != nil {
		msg := err.Error()
		if i := strings.LastIndex(msg, ": "); i >= 0 && strings.HasPrefix(msg, "template: ") {
			msg = msg[i+2:]
		}
		return newProblem("use {{.Version}}, {{.Revision}}, {{.Source}}, {{.Date}}, {{.Epoch}}, {{.OS}}, {{.Arch}}, {{.Variant}}, {{.Platform}}, {{.Target}}, {{.Name}} or {{index .Args \"NAME\"}}",
			"bad template: %s", msg)
	}
	return nil
}
