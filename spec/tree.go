package spec

import (
	"fmt"

	"github.com/goccy/go-yaml/ast"
)

// kind is the type of a YAML value as the spec sees it.
type kind int

const (
	nullKind kind = iota
	stringKind
	intKind
	floatKind
	boolKind
	mapKind
	seqKind
)

// node is a YAML value with anchors, aliases, merge keys and tags resolved:
// the small tree the decoder walks. Aliased subtrees are shared, not copied.
type node struct {
	kind    kind
	pos     Pos
	text    string // scalars: the value as written (plain scalars keep their source text)
	boolVal bool
	entries []entry // mapKind, in file order
	items   []*node // seqKind
	size    int     // values in this subtree, aliases expanded
	height  int     // nesting levels in this subtree, 1 for a scalar
}

type entry struct {
	key    string
	keyPos Pos
	value  *node
}

func (n *node) isScalar() bool { return n.kind >= stringKind && n.kind <= boolKind }

// lookup returns the value of key in a mapping node.
func (n *node) lookup(key string) (*node, bool) {
	for _, e := range n.entries {
		if e.key == key {
			return e.value, true
		}
	}
	return nil, false
}

// treeBuilder converts goccy/go-yaml's AST into nodes, enforcing the value
// budget and nesting limit so that alias bombs stay cheap.
type treeBuilder struct {
	errs    *errSink
	anchors map[string]*node
	count   int  // values so far, aliases expanded
	stopped bool // a limit was hit; the rest is not converted
}

// buildTree returns nil when a limit was hit.
func buildTree(body ast.Node, errs *errSink) *node {
	b := &treeBuilder{errs: errs, anchors: map[string]*node{}}
	root := b.convert(body, "", 1)
	if b.stopped {
		return nil
	}
	return root
}

// take spends n values of the budget.
func (b *treeBuilder) take(n int, pos Pos, path string, depth int) bool {
	b.count += n
	switch {
	case b.stopped:
		return false
	case b.count > maxNodes:
		b.stop(pos, path, fmt.Sprintf("spec expands to more than %d values", maxNodes),
			"check the anchors and aliases it uses")
	case depth > maxDepth:
		b.stop(pos, path, fmt.Sprintf("spec is nested more than %d levels deep", maxDepth), "")
	}
	return !b.stopped
}

func (b *treeBuilder) stop(pos Pos, path, msg, hint string) {
	b.errs.add(pos, path, msg, hint)
	b.stopped = true
}

func (b *treeBuilder) convert(n ast.Node, path string, depth int) *node {
	pos := nodePos(n)
	if !b.take(1, pos, path, depth) {
		return leaf(nullKind, pos, "")
	}
	switch v := n.(type) {
	case nil:
		return leaf(nullKind, pos, "")
	case *ast.NullNode:
		return leaf(nullKind, pos, tokenText(v))
	case *ast.StringNode:
		return leaf(stringKind, pos, v.Value)
	case *ast.LiteralNode:
		if v.Value == nil {
			return leaf(stringKind, pos, "")
		}
		return leaf(stringKind, pos, v.Value.Value)
	case *ast.IntegerNode:
		return leaf(intKind, pos, tokenText(v))
	case *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return leaf(floatKind, pos, tokenText(v))
	case *ast.BoolNode:
		l := leaf(boolKind, pos, tokenText(v))
		l.boolVal = v.Value
		return l
	case *ast.TagNode:
		return b.tagged(v, path, depth)
	case *ast.AnchorNode:
		return b.anchor(v, path, depth)
	case *ast.AliasNode:
		return b.alias(v, pos, path, depth)
	case *ast.MappingNode:
		return b.mapping(v.Values, pos, path, depth)
	case *ast.MappingValueNode:
		return b.mapping([]*ast.MappingValueNode{v}, pos, path, depth)
	case *ast.SequenceNode:
		return b.sequence(v, pos, path, depth)
	}
	b.errs.add(pos, path, fmt.Sprintf("unsupported YAML %s", n.Type()), "")
	return leaf(nullKind, pos, "")
}

func leaf(k kind, pos Pos, text string) *node {
	return &node{kind: k, pos: pos, text: text, size: 1, height: 1}
}

func tokenText(n ast.Node) string {
	if tk := n.GetToken(); tk != nil {
		return tk.Value
	}
	return ""
}

// tagged unwraps the standard tags; !!str turns a scalar into a string.
func (b *treeBuilder) tagged(t *ast.TagNode, path string, depth int) *node {
	inner := b.convert(t.Value, path, depth)
	switch tag := tokenText(t); tag {
	case "!!str":
		if !inner.isScalar() && inner.kind != nullKind {
			b.errs.add(inner.pos, path, "!!str applied to a "+kindName(inner.kind), "")
			return inner
		}
		c := *inner
		c.kind = stringKind
		return &c
	case "!!int", "!!float", "!!bool", "!!null", "!!map", "!!seq":
		return inner
	default:
		b.errs.add(tokenPos(t.Start), path, fmt.Sprintf("unsupported YAML tag %s", tag), "remove the tag")
		return inner
	}
}

func (b *treeBuilder) anchor(a *ast.AnchorNode, path string, depth int) *node {
	n := b.convert(a.Value, path, depth)
	if a.Name != nil {
		b.anchors[tokenText(a.Name)] = n
	}
	return n
}

// alias reuses the anchored subtree, charging its full size to the budget.
func (b *treeBuilder) alias(a *ast.AliasNode, pos Pos, path string, depth int) *node {
	name := ""
	if a.Value != nil {
		name = tokenText(a.Value)
	}
	target, ok := b.anchors[name]
	if !ok {
		b.errs.add(pos, path, fmt.Sprintf("unknown alias *%s", name), fmt.Sprintf("define &%s before using it", name))
		return leaf(nullKind, pos, "")
	}
	if !b.take(target.size-1, pos, path, depth+target.height-1) {
		return leaf(nullKind, pos, "")
	}
	c := *target
	c.pos = pos
	return &c
}

func (b *treeBuilder) sequence(s *ast.SequenceNode, pos Pos, path string, depth int) *node {
	n := &node{kind: seqKind, pos: pos, size: 1, height: 1}
	for i, v := range s.Values {
		item := b.convert(v, joinIndex(path, i), depth+1)
		if v == nil && i < len(s.Entries) && s.Entries[i] != nil {
			item.pos = tokenPos(s.Entries[i].Start)
		}
		n.items = append(n.items, item)
		n.grow(item)
	}
	return n
}

func (n *node) grow(child *node) {
	n.size += child.size
	n.height = max(n.height, child.height+1)
}

// mapping builds a mapping: explicit keys first (a repeated key is an error),
// then keys from merge keys (<<) that are not set explicitly.
func (b *treeBuilder) mapping(pairs []*ast.MappingValueNode, pos Pos, path string, depth int) *node {
	n := &node{kind: mapKind, pos: pos, size: 1, height: 1}
	seen := map[string]Pos{}
	var merged []*node
	for _, pair := range pairs {
		if pair == nil {
			continue
		}
		if pair.Key != nil && pair.Key.IsMergeKey() {
			merged = append(merged, b.mergeSources(pair.Value, path, depth)...)
			continue
		}
		key, keyPos, ok := b.key(pair.Key, path)
		if !ok {
			continue
		}
		keyPath := joinKey(path, key)
		if first, dup := seen[key]; dup {
			b.errs.add(keyPos, keyPath, fmt.Sprintf("duplicate field %s", key), fmt.Sprintf("first set at line %d", first.Line))
			continue
		}
		seen[key] = keyPos
		value := b.convert(pair.Value, keyPath, depth+1)
		n.entries = append(n.entries, entry{key: key, keyPos: keyPos, value: value})
		n.grow(value)
	}
	for _, m := range merged {
		for _, e := range m.entries {
			if _, set := seen[e.key]; !set {
				seen[e.key] = e.keyPos
				n.entries = append(n.entries, e)
				n.grow(e.value)
			}
		}
	}
	return n
}

// mergeSources are the mappings named by a merge key: one or a list of them.
func (b *treeBuilder) mergeSources(v ast.Node, path string, depth int) []*node {
	src := b.convert(v, path, depth)
	switch src.kind {
	case mapKind:
		return []*node{src}
	case seqKind:
		for _, item := range src.items {
			if item.kind != mapKind {
				b.errs.add(item.pos, path, "merge key (<<) list items must be mappings", "")
				return nil
			}
		}
		return src.items
	}
	b.errs.add(src.pos, path, "merge key (<<) needs a mapping or a list of mappings", "e.g. <<: *defaults")
	return nil
}

// key returns the text of a scalar mapping key.
func (b *treeBuilder) key(k ast.MapKeyNode, path string) (string, Pos, bool) {
	pos := nodePos(k)
	switch v := k.(type) {
	case *ast.StringNode:
		return v.Value, pos, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.NullNode, *ast.InfinityNode, *ast.NanNode:
		return tokenText(v), pos, true
	}
	b.errs.add(pos, path, "field names must be plain strings", "")
	return "", pos, false
}

func kindName(k kind) string {
	return [...]string{"null", "string", "integer", "number", "boolean", "mapping", "list"}[k]
}
