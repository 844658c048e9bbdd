package spec

import (
	"strings"
	"testing"
)

// templateBomb is the 94-byte label of issue 15: 10,000 printfs of 100 KB
// each, 47 s and 9 GiB before templates were checked.
const templateBomb = `{{range 100}}{{range 100}}{{printf "%0100000d" 1}}{{end}}{{end}}`

var renderData = TemplateData{
	Version: "1.2.3", Revision: "abc123", Source: "https://github.com/acme/app",
	Date: "2023-11-14T22:13:20Z", Epoch: 1700000000,
	OS: "linux", Arch: "arm", Variant: "v7", Platform: "linux/arm/v7",
	Target: "debug", Name: "server",
	Args: map[string]string{"GIT_BRANCH": "main"},
}

func TestTemplateAllowed(t *testing.T) {
	for _, tc := range []struct{ tmpl, want string }{
		{"-s -w", "-s -w"},
		{"{{.Version}}", "1.2.3"},
		{"-X main.version={{.Version}} -X main.commit={{.Revision}}", "-X main.version=1.2.3 -X main.commit=abc123"},
		{"{{.Source}} {{.Date}} {{.Epoch}}", "https://github.com/acme/app 2023-11-14T22:13:20Z 1700000000"},
		{"{{.OS}}/{{.Arch}}/{{.Variant}} {{.Platform}}", "linux/arm/v7 linux/arm/v7"},
		{"{{.Target}}-{{.Name}}", "debug-server"},
		{`{{index .Args "GIT_BRANCH"}}`, "main"},
		{`{{index .Args "MISSING"}}`, ""},
		{`{{or .Version "dev"}}`, "1.2.3"},
		{`{{or .Variant .Arch}}`, "v7"},
		{`{{or (index .Args "MISSING") .Name "x"}}`, "server"},
		{`{{"literal"}}`, "literal"},
		{`{{if .Version}}v{{.Version}}{{else}}dev{{end}}`, "v1.2.3"},
		{`{{if (index .Args "MISSING")}}a{{else if .Target}}b{{end}}`, "b"},
		{`a{{/* a comment */}}b`, "ab"},
		{`{{- .Name -}}  `, "server"},
	} {
		t.Run(tc.tmpl, func(t *testing.T) {
			if p := checkTemplate(tc.tmpl); p != nil {
				t.Fatalf("refused: %v", p)
			}
			got, err := Render(tc.tmpl, renderData)
			if err != nil || got != tc.want {
				t.Errorf("Render = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestTemplateRefused(t *testing.T) {
	for _, tc := range []struct{ tmpl, msg string }{
		{templateBomb, "bad template: range is not allowed"},
		{`{{range .Args}}x{{end}}`, "bad template: range is not allowed"},
		{`{{with .Version}}{{.}}{{end}}`, "bad template: with is not allowed"},
		{`{{define "x"}}a{{end}}`, "bad template: define is not allowed"},
		{`{{block "x" .}}a{{end}}`, "bad template: template and block are not allowed"},
		{`{{template "x"}}`, "bad template: template and block are not allowed"},
		{`{{printf "%0100000d" 1}}`, "bad template: printf is not allowed"},
		{`{{or .Version printf}}`, "bad template: printf is not allowed"},
		{`{{print .Version}}`, "bad template: print is not allowed"},
		{`{{call .Version}}`, "bad template: call is not allowed"},
		{`{{len .Version}}`, "bad template: len is not allowed"},
		{`{{$x := .Version}}{{$x}}`, "bad template: variables ($x := …) are not allowed"},
		{`{{$.Version}}`, "bad template: variables ($.Version) are not allowed"},
		{`{{.Version | or "dev"}}`, "bad template: pipelines (|) are not allowed"},
		{`{{.}}`, "bad template: {{.}} is not allowed"},
		{`{{.Args}}`, "bad template: .Args is only allowed in index"},
		{`{{index .Args}}`, "bad template: index takes .Args and a quoted build arg name"},
		{`{{index .Args .Version}}`, "bad template: index takes .Args and a quoted build arg name"},
		{`{{or}}`, "bad template: or needs arguments"},
		{`{{1}}`, "bad template: 1 is not allowed"},
		{`{{.Versoin}}`, "bad template: unknown field .Versoin"}, //nolint:misspell // the typo is the case
		{`{{.Version.Major}}`, "bad template: .Version has no field Major"},
		{`{{.Version "x"}}`, "bad template: .Version takes no arguments"},
		{`{{if .Version}}{{range 9}}{{end}}{{end}}`, "bad template: range is not allowed"},
		{`{{if .Version}}{{else}}{{printf "%d" 1}}{{end}}`, "bad template: printf is not allowed"},
		{`{{lower .Version}}`, `bad template: function "lower" not defined`},
		{`{{.Version`, "bad template: unclosed action"},
		{strings.Repeat("{{.Version}}", maxTemplateNodes), "template has more than 1000 parts"},
		{strings.Repeat("x", maxTemplateOutput) + "{{.Version}}!", "template output is longer than 64 KiB"},
	} {
		name := tc.tmpl
		if len(name) > 60 {
			name = name[:60]
		}
		t.Run(name, func(t *testing.T) {
			p := checkTemplate(tc.tmpl)
			if p == nil || p.msg != tc.msg {
				t.Fatalf("checkTemplate = %v, want %q", p, tc.msg)
			}
			if p.hint == "" {
				t.Errorf("no hint: %v", p)
			}
			if _, err := Render(tc.tmpl, renderData); err == nil {
				t.Errorf("Render ran a refused template")
			}
		})
	}
}

// TestTemplateHintSaysWhatIsAllowed: a refused construct's hint lists
// every field and the allowed forms.
func TestTemplateHintSaysWhatIsAllowed(t *testing.T) {
	p := checkTemplate(templateBomb)
	for _, f := range append(templateFields, `index .Args "NAME"`, `or .Version "dev"`, "if .Version") {
		if !strings.Contains(p.hint, "{{"+f) && !strings.Contains(p.hint, "{{."+f+"}}") {
			t.Errorf("hint %q does not mention %s", p.hint, f)
		}
	}
}

// TestRenderOutputBounded: a template that passes the check with empty data
// still stops at 64 KiB when the build args are large.
func TestRenderOutputBounded(t *testing.T) {
	tmpl := strings.Repeat("{{.Version}}", 100)
	if p := checkTemplate(tmpl); p != nil {
		t.Fatal(p)
	}
	d := renderData
	d.Version = strings.Repeat("v", 600)
	if out, err := Render(tmpl, d); err != nil || len(out) != 60000 {
		t.Fatalf("Render of 60000 bytes = %d bytes, %v", len(out), err)
	}
	d.Version = strings.Repeat("v", 1<<20)
	if _, err := Render(tmpl, d); err == nil || err.Error() != "template output is longer than 64 KiB" {
		t.Errorf("Render of 100 MiB = %v, want the 64 KiB error", err)
	}
}

// TestTemplateBombInSpec parses a whole spec with the bomb as a label: the
// error names the label's line and column, and Parse returns at once.
func TestTemplateBombInSpec(t *testing.T) {
	src := "main: ./cmd/server\nlabels:\n  bomb: '" + templateBomb + "'\n"
	_, err := Parse("spec.yaml", []byte(src))
	if err == nil {
		t.Fatal("the template bomb parsed")
	}
	checkPositioned(t, err)
	want := "spec.yaml:3:9: labels.bomb: bad template: range is not allowed (" + templateHint + ")"
	if err.Error() != want {
		t.Errorf("error\n%s\nwant\n%s", err, want)
	}
}
