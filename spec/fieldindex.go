package spec

import "strings"

// Lookups into the field table for the decoder and the hints. init fills
// them, not initializers: the table's rows refer to the decoder, which
// reads them, and Go refuses an initialization cycle.
var (
	// hintFields are the fields with an example, by name, or by holder.name
	// for the fields of qualified objects (test.tags, secrets.env).
	hintFields map[string]Field
	// fieldAliases maps names people reach for (from Dockerfiles, compose,
	// ko, other tools) to the field that does the job.
	fieldAliases map[string]string
	// topOnly are the fields that apply to the whole spec, not to one target.
	topOnly []string
)

func init() {
	hintFields, fieldAliases = map[string]Field{}, map[string]string{}
	for _, o := range objects() {
		for _, f := range o.fields {
			key := f.Name
			if o.qualified {
				key = o.holder + "." + f.Name
			}
			if _, seen := hintFields[key]; !seen && f.Example != "" {
				hintFields[key] = f
			}
			for _, a := range f.Aliases {
				fieldAliases[a] = f.Name
			}
		}
		if o.name == objSpec {
			topOnly = names(o.fields)
		}
	}
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

// exampleOf is the hint that shows the field at path written correctly,
// "" when it has no example.
func exampleOf(path string) string {
	name := fieldName(path)
	if i := strings.LastIndex(path, "."); i > 0 {
		if f, ok := hintFields[fieldName(path[:i])+"."+name]; ok {
			return "e.g. " + f.Example
		}
	}
	if f, ok := hintFields[name]; ok {
		return "e.g. " + f.Example
	}
	return ""
}
