package main

import (
	"cmp"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
)

// typeDocs are the doc comments of one struct type: the type's and each field's.
type typeDocs struct {
	doc    string
	fields map[string]string // Go field name -> doc
}

// readDocs reads the doc comments of the struct types in dir/types.go.
func readDocs(dir string) (map[string]typeDocs, error) {
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, "types.go"), nil, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	out := map[string]typeDocs{}
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, s := range gd.Specs {
			ts := s.(*ast.TypeSpec)
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				continue
			}
			td := typeDocs{doc: text(cmp.Or(ts.Doc, gd.Doc)), fields: map[string]string{}}
			for _, fld := range st.Fields.List {
				for _, name := range fld.Names {
					td.fields[name.Name] = text(cmp.Or(fld.Doc, fld.Comment))
				}
			}
			out[ts.Name.Name] = td
		}
	}
	return out, nil
}

// text turns a doc comment into a description: paragraphs joined into lines,
// indented code kept on its own lines, Go-style backquotes left as they are
// (editors show them as code).
func text(g *ast.CommentGroup) string {
	if g == nil {
		return ""
	}
	var paras []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			paras = append(paras, strings.Join(cur, " "))
			cur = nil
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(g.Text()), "\n") {
		switch {
		case strings.TrimSpace(line) == "":
			flush()
		case strings.HasPrefix(line, "\t"):
			flush()
			paras = append(paras, "    "+strings.TrimSpace(line))
		default:
			cur = append(cur, strings.TrimSpace(line))
		}
	}
	flush()
	return strings.Join(paras, "\n\n")
}
