package inputs

import (
	"context"
	"fmt"
	"path"

	"github.com/moby/patternmatcher"
)

// missingGoMod explains a go.mod the build context does not have. When the
// ignore patterns leave it out — a project whose .dockerignore is made for
// another Dockerfile (`*` then `!app` for one that copies a prebuilt
// binary) — it names the ignore file BuildKit reads first for this spec:
// <spec file>.dockerignore, next to the spec, replaces .dockerignore.
func missingGoMod(ctx context.Context, gomod, specFile string, ignore Ignore) error {
	if err := ignoredFile(ctx, "go.mod", gomod, specFile, ignore); err != nil {
		return err
	}
	return fmt.Errorf("no go.mod at %s in the build context: point `module:` at the directory holding go.mod, or check .dockerignore", gomod)
}

// ignoredFile is the error for file (what: go.mod, go.sum) that the ignore
// patterns leave out of the context, naming the spec's own ignore file;
// nil when they keep it.
func ignoredFile(ctx context.Context, what, file, specFile string, ignore Ignore) error {
	if !excluded(ctx, file, ignore) {
		return nil
	}
	own := path.Base(specFile) + ".dockerignore"
	return fmt.Errorf("no %s at %s in the build context: the ignore patterns leave it out; BuildKit applies %s (next to the spec) instead of .dockerignore when it exists: "+
		"write one for this build that keeps go.mod, go.sum and the Go source, and the .dockerignore made for another build stays as it is", what, file, own)
}

// excluded reports whether the ignore patterns leave file out of the context.
func excluded(ctx context.Context, file string, ignore Ignore) bool {
	if ignore == nil {
		return false
	}
	patterns, err := ignore(ctx)
	if err != nil || len(patterns) == 0 {
		return false
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		return false
	}
	out, err := pm.MatchesOrParentMatches(file)
	return err == nil && out
}
