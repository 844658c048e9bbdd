package spec

import (
	"fmt"
	"strconv"
	"strings"
)

// examples show each field written correctly; hints quote them.
var examples = map[string]string{
	"version":     "version: 1",
	"builder":     "builder: golang:1.26",
	"go":          "go: 1.26",
	"module":      "module: ./services/api",
	"platforms":   "platforms: [linux/amd64, linux/arm64]",
	"targets":     "targets: {debug: {user: root}}",
	"main":        "main: ./cmd/server",
	"name":        "name: server",
	"binaries":    "binaries: [{main: ./cmd/api}, {main: ./cmd/worker}]",
	"tags":        "tags: [netgo, osusergo]",
	"ldflags":     `ldflags: "-s -w"`,
	"goflags":     "goflags: [-buildvcs=false]",
	"goenv":       "goenv: {GOEXPERIMENT: greenteagc}",
	"entrypoint":  "entrypoint: [/usr/local/bin/server, serve]",
	"cmd":         "cmd: [--port, 8080]",
	"env":         "env: {TZ: UTC}",
	"user":        "user: nonroot",
	"workdir":     "workdir: /data",
	"expose":      "expose: [8080, 53/udp]",
	"labels":      "labels: {team: payments}",
	"annotations": "annotations: {org.opencontainers.image.source: https://github.com/acme/app}",
	"certs":       "certs: false",
	"zoneinfo":    "zoneinfo: embed",
	"files":       "files: [{src: config.yaml, dst: /etc/app/config.yaml}]",
	"src":         "src: config/app.yaml",
	"dst":         "dst: /etc/app/app.yaml",
	"mode":        "mode: 0644",
	"owner":       "owner: 65532:65532",
	"test":        "test: {packages: [./...], vet: true}",
	"secrets":     "secrets: [netrc]",
	"ssh":         "ssh: true",
	// fields of nested objects, keyed parent.field
	"test.packages":    "packages: [./...]",
	"test.vet":         "vet: true",
	"test.flags":       "flags: [-count=1, -short]",
	"test.tags":        "tags: [integration]",
	"test.report":      "report: true",
	"test.coverage":    "coverage: true",
	"secrets.id":       "id: netrc",
	"secrets.target":   "target: /root/.netrc",
	"secrets.env":      "env: GITLAB_TOKEN",
	"secrets.required": "required: true",
}

// fieldName is the last key of a path: "targets.api.expose[1]" -> "expose".
func fieldName(path string) string {
	path = strings.TrimRightFunc(path, func(r rune) bool { return r == ']' || (r >= '0' && r <= '9') })
	path = strings.TrimSuffix(path, "[")
	if i := strings.LastIndexAny(path, ".["); i >= 0 {
		path = path[i+1:]
	}
	return path
}

func exampleOf(path string) string {
	name := fieldName(path)
	if i := strings.LastIndex(path, "."); i > 0 {
		if ex, ok := examples[fieldName(path[:i])+"."+name]; ok {
			return "e.g. " + ex
		}
	}
	if ex, ok := examples[name]; ok {
		return "e.g. " + ex
	}
	return ""
}

// topOnly are the fields that apply to the whole spec, not to one target.
var topOnly = []string{"version", "builder", "go", "module", "platforms", "targets", "test", "secrets", "ssh"}

func (d *decoder) spec(root *node, s *Spec) {
	if root.kind != mapKind {
		d.fail(root, "", fmt.Sprintf("the spec must be a mapping of fields, got %s", describe(root)), "e.g. main: ./cmd/server")
		return
	}
	d.src.values[""] = root.pos
	fields := append(d.topFields(s), d.targetFields(&s.Target)...)
	valid := fieldNames(fields)
	d.object(root, "", fields, func(e entry, p string) {
		if !strings.HasPrefix(e.key, "x-") {
			d.unknownField(e, p, valid)
		}
	})
}

func (d *decoder) topFields(s *Spec) []field {
	return []field{
		{"version", func(n *node, p string) { s.Version = d.version(n, p) }},
		{"builder", func(n *node, p string) { s.Builder = d.optional(n, p) }},
		{"go", func(n *node, p string) { s.Go = d.optional(n, p) }},
		{"module", func(n *node, p string) { s.Module = d.optional(n, p) }},
		{"platforms", func(n *node, p string) { s.Platforms = d.list(n, p) }},
		{"targets", func(n *node, p string) { s.Targets = d.targets(n, p) }},
		{"test", func(n *node, p string) { s.Test = d.test(n, p) }},
		{"secrets", func(n *node, p string) { s.Secrets = d.secrets(n, p) }},
		{"ssh", func(n *node, p string) { s.SSH = d.boolPtr(n, p) }},
	}
}

func (d *decoder) targetFields(t *Target) []field {
	return []field{
		{"main", func(n *node, p string) { t.Main = d.required(n, p) }},
		{"name", func(n *node, p string) { t.Name = d.optional(n, p) }},
		{"binaries", func(n *node, p string) { t.Binaries = d.binaries(n, p) }},
		{"tags", func(n *node, p string) { t.Tags = d.list(n, p) }},
		{"ldflags", func(n *node, p string) { t.Ldflags = d.stringPtr(n, p) }},
		{"goflags", func(n *node, p string) { t.Goflags = d.list(n, p) }},
		{"goenv", func(n *node, p string) { t.Goenv = d.stringMap(n, p) }},
		{"entrypoint", func(n *node, p string) { t.Entrypoint = d.argv(n, p) }},
		{"cmd", func(n *node, p string) { t.Cmd = d.argv(n, p) }},
		{"env", func(n *node, p string) { t.Env = d.stringMap(n, p) }},
		{"user", func(n *node, p string) { t.User = d.optional(n, p) }},
		{"workdir", func(n *node, p string) { t.Workdir = d.optional(n, p) }},
		{"expose", func(n *node, p string) { t.Expose = d.ports(n, p) }},
		{"labels", func(n *node, p string) { t.Labels = d.stringMap(n, p) }},
		{"annotations", func(n *node, p string) { t.Annotations = d.stringMap(n, p) }},
		{"certs", func(n *node, p string) { t.Certs = d.boolPtr(n, p) }},
		{"zoneinfo", func(n *node, p string) { t.Zoneinfo = d.optional(n, p) }},
		{"files", func(n *node, p string) { t.Files = d.files(n, p) }},
	}
}

func (d *decoder) version(n *node, path string) int {
	s, ok := d.scalar(n, path)
	if !ok {
		return 0
	}
	v, err := strconv.Atoi(s)
	if err != nil || v == 0 {
		d.fail(n, path, fmt.Sprintf("unsupported spec version %q", s), "the only version is 1")
		return 0
	}
	return v
}

// targets decodes the named targets; a null target is an empty one.
func (d *decoder) targets(n *node, path string) map[string]*Target {
	switch n.kind {
	case nullKind:
		return nil
	case mapKind:
	default:
		d.wrongType(n, path, "a mapping of target names to targets")
		return nil
	}
	out := make(map[string]*Target, len(n.entries))
	for _, e := range n.entries {
		p := joinKey(path, e.key)
		d.src.keys[p], d.src.values[p] = e.keyPos, e.value.pos
		t := &Target{}
		out[e.key] = t
		if e.value.kind != nullKind {
			d.target(e.value, p, t)
		}
	}
	return out
}

func (d *decoder) target(n *node, path string, t *Target) {
	fields := d.targetFields(t)
	valid := fieldNames(fields)
	d.object(n, path, fields, func(e entry, p string) {
		for _, top := range topOnly {
			if e.key == top {
				d.errs.add(e.keyPos, p, fmt.Sprintf("%s cannot be set per target", e.key), "move it to the top level")
				return
			}
		}
		d.unknownField(e, p, valid)
	})
}

// binaries decodes the binaries list; a string item is short for {main: item}.
func (d *decoder) binaries(n *node, path string) []Binary {
	out := []Binary{}
	if !d.items(n, path, func(item *node, p string) {
		out = append(out, d.binary(item, p))
	}) {
		return nil
	}
	return out
}

func (d *decoder) binary(n *node, path string) Binary {
	var b Binary
	if n.kind != mapKind {
		main := joinKey(path, "main")
		d.src.keys[main], d.src.values[main] = n.pos, n.pos
		b.Main = d.required(n, main)
		return b
	}
	fields := []field{
		{"main", func(n *node, p string) { b.Main = d.required(n, p) }},
		{"name", func(n *node, p string) { b.Name = d.optional(n, p) }},
		{"tags", func(n *node, p string) { b.Tags = d.list(n, p) }},
		{"ldflags", func(n *node, p string) { b.Ldflags = d.stringPtr(n, p) }},
	}
	valid := fieldNames(fields)
	d.object(n, path, fields, func(e entry, p string) { d.unknownField(e, p, valid) })
	d.requireFields(n, path, "main")
	return b
}

// requireFields reports keys missing from mapping n.
func (d *decoder) requireFields(n *node, path string, keys ...string) {
	for _, k := range keys {
		if !has(n, k) {
			d.fail(n, path, k+" is missing", exampleOf(k))
		}
	}
}

func (d *decoder) files(n *node, path string) []File {
	out := []File{}
	if !d.items(n, path, func(item *node, p string) {
		out = append(out, d.file(item, p))
	}) {
		return nil
	}
	return out
}

func (d *decoder) file(n *node, path string) File {
	var f File
	fields := []field{
		{"src", func(n *node, p string) { f.Src = d.required(n, p) }},
		{"dst", func(n *node, p string) { f.Dst = d.required(n, p) }},
		{"mode", func(n *node, p string) { f.Mode = d.mode(n, p) }},
		{"owner", func(n *node, p string) { f.Owner = d.optional(n, p) }},
	}
	valid := fieldNames(fields)
	d.object(n, path, fields, func(e entry, p string) { d.unknownField(e, p, valid) })
	if n.kind == mapKind {
		d.requireFields(n, path, "src", "dst")
	}
	return f
}

// argv decodes entrypoint and cmd. A single string is one argument, so one
// with spaces is refused: scratch images have no shell to split it.
func (d *decoder) argv(n *node, path string) []string {
	if n.isScalar() && strings.ContainsAny(n.text, " \t") {
		d.fail(n, path, "a single string is one argument and there is no shell to split it",
			"write a list: "+strings.Join([]string{"[", strings.Join(strings.Fields(n.text), ", "), "]"}, ""))
		return nil
	}
	return d.list(n, path)
}

// ports decodes expose: integers or "N", "N/tcp", "N/udp", "N/sctp".
func (d *decoder) ports(n *node, path string) []Port {
	if n.isScalar() {
		n = &node{kind: seqKind, pos: n.pos, items: []*node{n}}
	}
	out := []Port{}
	if !d.items(n, path, func(item *node, p string) {
		if item.kind != intKind && item.kind != stringKind {
			d.wrongType(item, p, "a port like 8080 or 53/udp")
			return
		}
		port, prob := parsePort(item.text)
		if prob != nil {
			d.fail(item, p, prob.msg, prob.hint)
			return
		}
		out = append(out, port)
	}) {
		return nil
	}
	return out
}

// mode decodes a file mode, always read as octal: 0644, 644, 0o644, "0644".
func (d *decoder) mode(n *node, path string) *uint32 {
	if n.kind == nullKind {
		return nil
	}
	if n.kind != intKind && n.kind != stringKind {
		d.wrongType(n, path, "an octal file mode")
		return nil
	}
	m, p := parseMode(n.text)
	if p != nil {
		d.fail(n, path, p.msg, p.hint)
		return nil
	}
	return &m
}

func parseMode(s string) (uint32, *problem) {
	digits := strings.TrimPrefix(strings.TrimPrefix(s, "0o"), "0O")
	if digits == "" || strings.Trim(digits, "01234567") != "" {
		return 0, newProblem("write it in octal, e.g. 0644 or 0755", "mode %q is not an octal number", s)
	}
	m, err := strconv.ParseUint(digits, 8, 32)
	if err != nil {
		return 0, newProblem("", "mode %s is more than 07777", s)
	}
	return uint32(m), nil
}
