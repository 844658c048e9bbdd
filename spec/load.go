package spec

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// Limits that keep a hostile spec cheap to reject. A real spec is a few
// hundred bytes, tokens and nodes, and nests four or five levels deep.
const (
	maxSpecBytes   = 1 << 20 // input size
	maxTokens      = 10000   // YAML tokens, comments excluded; parsing is quadratic in them
	maxNodes       = 10000   // values after expanding aliases
	maxDepth       = 32      // nesting of mappings and lists
	maxBlockIndent = 64      // estimated block nesting, checked before parsing
)

var (
	utf8BOM  = []byte{0xEF, 0xBB, 0xBF}
	startPos = Pos{Line: 1, Column: 1}
)

// loadDocument checks the raw bytes and parses the spec's single YAML
// document. It returns nil after adding an error to errs.
func loadDocument(data []byte, errs *errSink) ast.Node {
	if len(data) > maxSpecBytes {
		errs.add(startPos, "", fmt.Sprintf("spec is %d bytes, more than the 1 MiB limit", len(data)),
			"a spec is a short YAML file; check that -f names the right file")
		return nil
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if pos, msg := checkText(data); msg != "" {
		errs.add(pos, "", msg, "save the spec as UTF-8 text")
		return nil
	}
	tokens := lexer.Tokenize(string(data))
	if !checkTokens(tokens, errs) {
		return nil
	}
	file, err := parser.Parse(tokens, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		addYAMLError(errs, err)
		return nil
	}
	return singleDocument(file, errs)
}

// checkText finds the first NUL, control character or invalid UTF-8 sequence.
func checkText(data []byte) (Pos, string) {
	line, col := 1, 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		switch {
		case r == utf8.RuneError && size == 1:
			return Pos{line, col}, "spec is not valid UTF-8"
		case r == 0:
			return Pos{line, col}, "spec contains a NUL byte"
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0x7F:
			return Pos{line, col}, fmt.Sprintf("spec contains the control character %U", r)
		}
		col++
		if r == '\n' {
			line, col = line+1, 1
		}
		data = data[size:]
	}
	return Pos{}, ""
}

// checkTokens rejects an empty spec, and specs too big or too deeply nested
// to parse quickly, before the (recursive, partly quadratic) parser runs.
func checkTokens(tokens token.Tokens, errs *errSink) bool {
	count, flow, line, onLine := 0, 0, 0, 0
	for _, tk := range tokens {
		if tk.Type == token.CommentType || tk.Position == nil {
			continue
		}
		count++
		pos := tokenPos(tk)
		if count > maxTokens {
			errs.add(pos, "", fmt.Sprintf("spec has more than %d YAML tokens", maxTokens), "a spec is a short YAML file")
			return false
		}
		if pos.Line != line {
			line, onLine = pos.Line, 0
		}
		switch tk.Type {
		case token.SequenceStartType, token.MappingStartType:
			flow++
		case token.SequenceEndType, token.MappingEndType:
			flow = max(flow-1, 0)
		case token.SequenceEntryType, token.MappingKeyType:
			onLine++
		}
		if flow > maxDepth || tk.Position.IndentLevel+onLine > maxBlockIndent {
			errs.add(pos, "", fmt.Sprintf("spec is nested more than %d levels deep", maxDepth), "")
			return false
		}
	}
	if count == 0 {
		errs.add(startPos, "", "empty spec", "write at least `main: ./cmd/server`")
		return false
	}
	return true
}

// singleDocument returns the body of the only document, ignoring directives.
func singleDocument(file *ast.File, errs *errSink) ast.Node {
	var body ast.Node
	for _, doc := range file.Docs {
		if doc == nil || doc.Body == nil || doc.Body.Type() == ast.DirectiveType {
			continue
		}
		if body != nil {
			errs.add(nodePos(doc.Body), "", "spec has more than one YAML document",
				"remove the --- separator; use targets for several images")
			return nil
		}
		body = doc.Body
	}
	if body == nil {
		errs.add(startPos, "", "empty spec", "write at least `main: ./cmd/server`")
	}
	return body
}

// yamlError is what goccy/go-yaml's parser errors implement.
type yamlError interface {
	GetToken() *token.Token
	GetMessage() string
}

func addYAMLError(errs *errSink, err error) {
	var ye yamlError
	if errors.As(err, &ye) && ye.GetToken() != nil && ye.GetToken().Position != nil {
		errs.add(tokenPos(ye.GetToken()), "", "invalid YAML: "+ye.GetMessage(), "")
		return
	}
	errs.add(startPos, "", "invalid YAML: "+err.Error(), "")
}

func tokenPos(tk *token.Token) Pos {
	if tk == nil || tk.Position == nil {
		return Pos{}
	}
	return Pos{Line: tk.Position.Line, Column: tk.Position.Column}
}

// nodePos is where a node starts in the file. A block mapping's own token is
// its first ':', so it starts at its first key instead.
func nodePos(n ast.Node) Pos {
	switch n := n.(type) {
	case nil:
		return Pos{}
	case *ast.MappingNode:
		if !n.IsFlowStyle && len(n.Values) > 0 {
			return nodePos(n.Values[0])
		}
		return tokenPos(n.Start)
	case *ast.MappingValueNode:
		if n.Key != nil {
			return nodePos(n.Key)
		}
	}
	return tokenPos(n.GetToken())
}
