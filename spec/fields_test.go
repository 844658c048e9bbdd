package spec

import (
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestFieldTable: every field has a doc and a form, its doc names its
// default and its allowed values, and every field but a binary's (whose
// hints quote the target's) has an example.
func TestFieldTable(t *testing.T) {
	for _, f := range Fields() {
		if f.Doc == "" || f.Type == "" || f.schema == nil {
			t.Errorf("%s: no doc or no form", f.Path)
		}
		if f.Example == "" && !strings.HasPrefix(f.Path, "binaries.") {
			t.Errorf("%s: no example for the error hints", f.Path)
		}
		if d := defaultText(f.Default); d != "" && !strings.Contains(f.Doc, d) {
			t.Errorf("%s: the doc %q does not say the default %s", f.Path, f.Doc, d)
		}
		for _, c := range f.Enum {
			if !strings.Contains(f.Doc, c.Value) {
				t.Errorf("%s: the doc %q does not name the value %s", f.Path, f.Doc, c.Value)
			}
		}
	}
}

// defaultText is a default as a doc writes it; "" for none or false (the
// zero value docs may leave unsaid).
func defaultText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case bool:
		if !v {
			return ""
		}
	case []string:
		return strings.Join(v, ", ")
	}
	return fmt.Sprint(v)
}

// TestTargetFieldsInherited: each target field is inherited by its form,
// except main, name and binaries, which inherit goes through together.
func TestTargetFieldsInherited(t *testing.T) {
	for _, row := range targetTable {
		together := slices.Contains([]string{"main", "name", "binaries"}, row.Name)
		if (row.inherit == nil) != together {
			t.Errorf("%s: inherited on its own = %v", row.Name, row.inherit != nil)
		}
	}
}

// TestGoTypesMatchTable: the json names of the Go types are the table's
// names, so nothing is declared in one place and missing in the other.
func TestGoTypesMatchTable(t *testing.T) {
	types := map[string]reflect.Type{
		objSpec: reflect.TypeFor[Spec](), objTarget: reflect.TypeFor[Target](), objBinary: reflect.TypeFor[Binary](),
		objFile: reflect.TypeFor[File](), objTest: reflect.TypeFor[Test](), objSecret: reflect.TypeFor[Secret](),
		objDir: reflect.TypeFor[Dir](), objHealthcheck: reflect.TypeFor[Healthcheck](),
	}
	for _, o := range objects() {
		var tags []string
		typ := types[o.name]
		for i := range typ.NumField() {
			f := typ.Field(i)
			if f.IsExported() && !f.Anonymous {
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				tags = append(tags, name)
			}
		}
		slices.Sort(tags)
		want := slices.Sorted(slices.Values(names(o.fields)))
		if !slices.Equal(tags, want) {
			t.Errorf("%s: json names %v, table %v", o.name, tags, want)
		}
	}
}

// docLine is a field of doc.go's field reference: "//\tname   text".
var docLine = regexp.MustCompile(`^//\t([a-z_]+) +(.*)$`)

// TestDocReference: doc.go's field reference lists, section by section,
// every field of the table, and says each default.
func TestDocReference(t *testing.T) {
	src, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string]string{"Top level only": objSpec, "Top level and per target": objTarget,
		"In files": objFile, "In test": objTest, "In secrets": objSecret,
		"In dirs": objDir, "In healthcheck": objHealthcheck}
	listed := map[string]map[string]string{} // object -> field -> its reference text
	section := ""
	for _, line := range strings.Split(string(src), "\n") {
		for prefix, o := range sections {
			if strings.HasPrefix(line, "// "+prefix) {
				section = o
			}
		}
		if m := docLine.FindStringSubmatch(line); m != nil && section != "" {
			if listed[section] == nil {
				listed[section] = map[string]string{}
			}
			listed[section][m[1]] = m[2]
		}
	}
	for _, o := range objects() {
		if o.name == objBinary {
			continue // described under binaries
		}
		for _, f := range o.fields {
			ref, ok := listed[o.name][f.Name]
			switch d := defaultText(f.Default); {
			case !ok:
				t.Errorf("doc.go does not list %s under %s", f.Name, o.name)
			case d != "" && !strings.Contains(ref, d):
				t.Errorf("doc.go's %s (%s) does not say the default %s", f.Name, o.name, d)
			}
		}
		if len(listed[o.name]) != len(o.fields) {
			t.Errorf("doc.go lists %d fields under %s, the table %d", len(listed[o.name]), o.name, len(o.fields))
		}
	}
}

// TestAliasesAreUnambiguous: an alias names one field name wherever it is
// declared, so a hint never points at a field of another mapping (a
// healthcheck alias "command" would make an unknown top-level command
// suggest test).
func TestAliasesAreUnambiguous(t *testing.T) {
	names := map[string]string{}
	for _, f := range Fields() {
		for _, a := range f.Aliases {
			if prev, ok := names[a]; ok && prev != f.Name {
				t.Errorf("alias %s names both %s and %s", a, prev, f.Name)
			}
			names[a] = f.Name
		}
	}
}
