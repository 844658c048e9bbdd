// Package lint holds goscratch's lint rules: problems in a valid spec that
// do not stop the build but are worth a warning (`--call check`, build
// warnings, `goscratch validate`). It is pure: it reads a parsed spec, the
// module's go.mod and the request's build args, and never touches BuildKit.
//
// Every rule has an ID (what `--call check` prints and what a
// `# check=skip=ID` line in the spec turns off) and a section in docs/lint.md.
package lint

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/goscratch/goscratch/spec"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// DocsURL is where the rules are documented; each rule's URL is an anchor in it.
const DocsURL = "https://github.com/goscratch/goscratch/blob/main/docs/lint.md"

// Rule is one lint check.
type Rule struct {
	ID          string // CamelCase, e.g. MissingGoSum
	Description string // one line: what the rule is about
	check       func(*run)
}

// URL is the rule's section of docs/lint.md.
func (r *Rule) URL() string { return DocsURL + "#" + anchor(r.ID) }

// Input is what the rules look at.
type Input struct {
	Spec *spec.Spec
	// GoMod is <module>/go.mod from the build context; nil when there is none.
	GoMod []byte
	// HasGoSum reports whether <module>/go.sum exists.
	HasGoSum bool
	// BuildArgs are the request's build args (--build-arg); nil for none.
	BuildArgs map[string]string
	// Platforms are the request's target platforms; nil means the spec's.
	Platforms []ocispecs.Platform
}

// Finding is one problem a rule found.
type Finding struct {
	Rule    *Rule
	Pos     spec.Pos // where in the spec; zero when it is not about a spec line
	Path    string   // the spec field, as in spec errors; "" with a zero Pos
	Message string
}

func (f Finding) String() string {
	at := ""
	if f.Pos.Line > 0 {
		at = f.Pos.String() + ": "
	}
	if f.Path != "" {
		at += f.Path + ": "
	}
	return fmt.Sprintf("%s%s (%s)", at, f.Message, f.Rule.ID)
}

// Rules are every rule, in the order docs/lint.md lists them.
var Rules = []*Rule{
	missingGoSum,
	goModNewerThanBuilder,
	builderNotPinned,
	platformNeedsNewerGo,
	cgoEnabled,
	ldflagsNotStripped,
	ldflagsDuplicate,
	redundantGoflag,
	redundantTimetzdata,
	entrypointNotInImage,
	healthcheckNotInImage,
	privilegedCapability,
	volumeWithoutDir,
	secretInSpec,
	secretInBuildArg,
}

// RuleByID returns the rule with that ID, or nil.
func RuleByID(id string) *Rule {
	for _, r := range Rules {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// Check runs every rule not skipped (see Skipped) on in and returns the
// findings in file order, those without a position last. in.Spec must be a
// valid spec (spec.Parse returned no error).
func Check(in Input, skip map[string]bool) []Finding {
	r := &run{Input: in, seen: map[string]bool{}}
	for _, rule := range Rules {
		if !skip[rule.ID] {
			r.rule = rule
			rule.check(r)
		}
	}
	slices.SortStableFunc(r.out, func(a, b Finding) int {
		if a.Pos.Line == 0 || b.Pos.Line == 0 {
			return cmp.Compare(b.Pos.Line, a.Pos.Line) // unknown positions last
		}
		return cmp.Or(cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Column, b.Pos.Column))
	})
	return r.out
}

// run is one Check call: the input and the findings so far.
type run struct {
	Input
	rule *Rule
	out  []Finding
	seen map[string]bool // rule + path already reported (inherited fields)
}

// report adds a finding for the current rule at the spec field path ("" for none).
func (r *run) report(path, format string, args ...any) {
	key := r.rule.ID + "\x00" + path
	if path != "" && r.seen[key] {
		return
	}
	r.seen[key] = true
	f := Finding{Rule: r.rule, Path: path, Message: fmt.Sprintf(format, args...)}
	if path != "" {
		f.Pos = r.Spec.Pos(path)
	}
	r.out = append(r.out, f)
}

// block is the top level (prefix "") or one named target, with the fields it
// sets itself.
type block struct {
	name string // target name; "" for the top level
	t    *spec.Target
}

// at is the path of a field of the block.
func (b block) at(elems ...any) string {
	if b.name == "" {
		return spec.FieldPath(elems...)
	}
	return spec.FieldPath(append([]any{"targets", b.name}, elems...)...)
}

// blocks are the top level and every target, in name order.
func (r *run) blocks() []block {
	out := []block{{t: &r.Spec.Target}}
	for _, name := range r.Spec.TargetNames() {
		t := r.Spec.Targets[name]
		if t == nil {
			t = &spec.Target{}
		}
		out = append(out, block{name: name, t: t})
	}
	return out
}

func anchor(id string) string {
	b := make([]byte, 0, len(id))
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return string(b)
}
