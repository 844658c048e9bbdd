package spec

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"text/template"
	"text/template/parse"
)

// TemplateData is what the templated fields — ldflags (target and binary),
// labels and annotations — can use, with Go text/template syntax:
//
//	ldflags: -s -w -X main.version={{.Version}} -X main.commit={{.Revision}}
//	annotations: {org.opencontainers.image.version: "{{.Version}}-{{.Arch}}"}
//
// A template may use these fields, {{index .Args "NAME"}}, {{or A B ...}},
// quoted strings and {{if A}}…{{else}}…{{end}}; nothing that loops, defines
// templates, sets variables or calls other functions (see checkTemplate).
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

// Bounds of one templated value.
const (
	maxTemplateOutput = 64 << 10 // bytes a template renders to
	maxTemplateNodes  = 1000     // parts: text, actions and their arguments
)

var errTemplateTooLong = errors.New("template output is longer than 64 KiB")

// templateHint says what a template may use.
const templateHint = `use {{.Version}}, {{.Revision}}, {{.Source}}, {{.Date}}, {{.Epoch}}, {{.OS}}, {{.Arch}}, {{.Variant}}, {{.Platform}}, {{.Target}}, {{.Name}}, {{index .Args "NAME"}}, {{or .Version "dev"}} or {{if .Version}}…{{else}}…{{end}}`

// Render expands a templated field. Text without "{{" is returned as is.
// The template is checked before it runs (checkTemplate's rules) and its
// output is at most 64 KiB.
func Render(s string, d TemplateData) (string, error) {
	if !strings.Contains(s, "{{") {
		return s, nil
	}
	t, p := compileTemplate(s)
	if p != nil {
		return "", p
	}
	w := &boundedWriter{max: maxTemplateOutput}
	if err := t.Execute(w, d); err != nil {
		return "", err
	}
	return w.buf.String(), nil
}

// checkTemplate reports a template that does not parse, uses something
// templates may not, or renders to more than 64 KiB.
func checkTemplate(s string) *problem {
	_, err := Render(s, TemplateData{Args: map[string]string{}})
	var p *problem
	switch {
	case err == nil:
		return nil
	case errors.As(err, &p):
		return p
	case errors.Is(err, errTemplateTooLong):
		return newProblem("keep templated values short", "%s", err)
	}
	return badTemplate(templateHint, "%s", templateMessage(err))
}

// compileTemplate parses s and checks its parse tree.
func compileTemplate(s string) (*template.Template, *problem) {
	if strings.Count(s, "{{") > maxTemplateNodes {
		return nil, tooManyParts() // before parsing it
	}
	t, err := template.New("").Option("missingkey=zero").Parse(s)
	if err != nil {
		return nil, badTemplate(templateHint, "%s", templateMessage(err))
	}
	if t.Tree != nil {
		if p := (&templateChecker{}).list(t.Root); p != nil {
			return nil, p
		}
	}
	if len(t.Templates()) > 1 {
		return nil, notAllowed("define")
	}
	return t, nil
}

// templateMessage drops text/template's "template: :1:2: " prefix.
func templateMessage(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && strings.HasPrefix(msg, "template: ") {
		msg = msg[i+2:]
	}
	return msg
}

func badTemplate(hint, format string, args ...any) *problem {
	return newProblem(hint, "bad template: "+format, args...)
}

func notAllowed(what string) *problem {
	return badTemplate(templateHint, "%s is not allowed", what)
}

// boundedWriter keeps what a template writes and fails the write that
// would take it past max bytes; text/template then stops.
type boundedWriter struct {
	buf bytes.Buffer
	max int
}

func (w *boundedWriter) Write(p []byte) (int, error) {
	if w.buf.Len()+len(p) > w.max {
		return 0, errTemplateTooLong
	}
	return w.buf.Write(p)
}

// templateFields are the fields of TemplateData a template prints; Args
// only goes through index.
var templateFields = func() []string {
	var names []string
	for _, f := range reflect.VisibleFields(reflect.TypeFor[TemplateData]()) {
		if f.Name != "Args" {
			names = append(names, f.Name)
		}
	}
	return names
}()

// templateChecker walks a template's parse tree before it runs. Allowed:
// text, comments, fields, {{index .Args "NAME"}}, {{or A B ...}}, quoted
// strings and if/else over them. So a template neither loops nor fails when
// it runs: executing it once with empty data finds every error it can have.
type templateChecker struct {
	nodes int
}

func (c *templateChecker) list(l *parse.ListNode) *problem {
	if l == nil {
		return nil
	}
	for _, n := range l.Nodes {
		if p := c.node(n); p != nil {
			return p
		}
	}
	return nil
}

// count charges one part to the budget.
func (c *templateChecker) count() *problem {
	c.nodes++
	if c.nodes > maxTemplateNodes {
		return tooManyParts()
	}
	return nil
}

func tooManyParts() *problem {
	return newProblem("keep templated values short", "template has more than %d parts", maxTemplateNodes)
}

func (c *templateChecker) node(n parse.Node) *problem {
	if p := c.count(); p != nil {
		return p
	}
	switch n := n.(type) {
	case *parse.TextNode, *parse.CommentNode:
		return nil
	case *parse.ActionNode:
		return c.pipe(n.Pipe)
	case *parse.IfNode:
		if p := c.pipe(n.Pipe); p != nil {
			return p
		}
		if p := c.list(n.List); p != nil {
			return p
		}
		return c.list(n.ElseList)
	case *parse.RangeNode:
		return notAllowed("range")
	case *parse.WithNode:
		return notAllowed("with")
	case *parse.TemplateNode:
		return badTemplate(templateHint, "template and block are not allowed")
	}
	return notAllowed(n.String())
}

func (c *templateChecker) pipe(p *parse.PipeNode) *problem {
	switch {
	case len(p.Decl) > 0:
		return badTemplate(templateHint, "variables (%s := …) are not allowed", p.Decl[0])
	case len(p.Cmds) != 1:
		return badTemplate(templateHint, "pipelines (|) are not allowed")
	}
	cmd := p.Cmds[0]
	if fn, ok := cmd.Args[0].(*parse.IdentifierNode); ok {
		return c.call(fn.Ident, cmd.Args[1:])
	}
	if len(cmd.Args) > 1 {
		return badTemplate(templateHint, "%s takes no arguments", cmd.Args[0])
	}
	return c.operand(cmd.Args[0])
}

// call checks a function call: only or and index.
func (c *templateChecker) call(name string, args []parse.Node) *problem {
	switch name {
	case "or":
		if len(args) == 0 {
			return badTemplate(`e.g. {{or .Version "dev"}}`, "or needs arguments")
		}
		for _, a := range args {
			if p := c.operand(a); p != nil {
				return p
			}
		}
		return nil
	case "index":
		if !isArgsIndex(args) {
			return badTemplate(`write {{index .Args "NAME"}}`, "index takes .Args and a quoted build arg name")
		}
		return c.count()
	}
	return notAllowed(name)
}

// isArgsIndex reports whether args are .Args and a string literal.
func isArgsIndex(args []parse.Node) bool {
	if len(args) != 2 {
		return false
	}
	f, ok := args[0].(*parse.FieldNode)
	_, str := args[1].(*parse.StringNode)
	return ok && str && len(f.Ident) == 1 && f.Ident[0] == "Args"
}

// operand checks a value: a field, a quoted string, or a call in parentheses.
func (c *templateChecker) operand(n parse.Node) *problem {
	if p := c.count(); p != nil {
		return p
	}
	switch n := n.(type) {
	case *parse.StringNode:
		return nil
	case *parse.FieldNode:
		return checkTemplateField(n.Ident)
	case *parse.PipeNode:
		return c.pipe(n)
	case *parse.IdentifierNode:
		return c.call(n.Ident, nil)
	case *parse.VariableNode:
		return badTemplate(templateHint, "variables (%s) are not allowed", n)
	case *parse.DotNode:
		return notAllowed("{{.}}")
	case *parse.NumberNode, *parse.BoolNode:
		return badTemplate(fmt.Sprintf("quote it: %q", n.String()), "%s is not allowed", n)
	}
	return notAllowed(n.String())
}

func checkTemplateField(ident []string) *problem {
	name := ident[0]
	switch {
	case name == "Args":
		return badTemplate(`write {{index .Args "NAME"}}`, ".Args is only allowed in index")
	case !slices.Contains(templateFields, name):
		hint := templateHint
		if s := suggest(name, templateFields, nil); s != "" {
			hint = "did you mean {{." + s + "}}?"
		}
		return badTemplate(hint, "unknown field .%s", name)
	case len(ident) > 1:
		return badTemplate(templateHint, ".%s has no field %s", name, ident[1])
	}
	return nil
}
