package spec

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// What a container runtime reads from the image config besides the
// entrypoint: the health check, the stop signal and the volumes.

// HealthcheckNone as the only element of healthcheck.test means no health
// check (a target's way to drop the top level's).
const HealthcheckNone = "NONE"

// durationPattern is a Go duration with a unit (30s, 1m30s, 500ms), for editors.
const durationPattern = `^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$`

// minDuration is the shortest health check duration runtimes accept.
const minDuration = time.Millisecond

func (d *decoder) healthcheck(n *node, path string) *Healthcheck {
	if n.kind == nullKind {
		return nil
	}
	h := &Healthcheck{}
	nested(d, n, path, healthcheckTable, h)
	return h
}

// count decodes a whole number of at least 1 (retries): 3 or "3".
func (d *decoder) count(n *node, path string) *int {
	if n.kind == nullKind {
		return nil
	}
	if n.kind != intKind && n.kind != stringKind {
		d.wrongType(n, path, "a whole number")
		return nil
	}
	v, err := strconv.Atoi(n.text)
	if err != nil || v < 1 {
		d.fail(n, path, fmt.Sprintf("%s %q is not a whole number of at least 1", fieldName(path), n.text), exampleOf(path))
		return nil
	}
	return &v
}

// healthcheck checks the health check a target (prefix) sets.
func (v *validator) healthcheck(prefix string, h *Healthcheck) {
	if h == nil {
		return
	}
	at := func(f string) string { return joinKey(joinKey(prefix, "healthcheck"), f) }
	if h.Test != nil {
		v.check(at("test"), checkHealthTest(h.Test))
	}
	durations := map[string]string{"interval": h.Interval, "timeout": h.Timeout, "start_period": h.StartPeriod, "start_interval": h.StartInterval}
	none := len(h.Test) == 1 && h.Test[0] == HealthcheckNone
	for _, f := range []string{"interval", "timeout", "start_period", "start_interval"} {
		switch {
		case durations[f] == "":
		case none:
			v.check(at(f), newProblem("remove it, or give test a command", "test [NONE] turns the health check off: it takes no %s", f))
		default:
			v.check(at(f), checkDuration(f, durations[f]))
		}
	}
	if none && h.Retries != nil {
		v.check(at("retries"), newProblem("remove it, or give test a command", "test [NONE] turns the health check off: it takes no retries"))
	}
}

// checkHealthTest checks healthcheck.test: a command of the image, as a
// list (the runtime runs it without a shell), or [NONE].
func checkHealthTest(test []string) *problem {
	example := "e.g. test: [/usr/local/bin/server, -health]"
	switch {
	case len(test) == 0:
		return newProblem(example+", or [NONE] for no health check", "test is empty")
	case test[0] == "":
		return newProblem(example, "the command is empty")
	case test[0] == "CMD":
		return newProblem("drop CMD: test is the command itself, "+example, "test starts with CMD")
	case test[0] == "CMD-SHELL":
		return newProblem("a FROM scratch image has no shell: run a binary of the image, "+example, "CMD-SHELL needs a shell")
	case test[0] == HealthcheckNone && len(test) > 1:
		return newProblem("write test: [NONE] alone", "NONE takes no arguments")
	}
	return nil
}

// checkDuration checks a health check duration: a Go duration with a unit,
// at least 1ms.
func checkDuration(field, s string) *problem {
	if strings.Trim(s, "0123456789") == "" {
		return newProblem(fmt.Sprintf("add a unit: %ss", s), "%s %s has no unit", field, s)
	}
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		return newProblem("write a duration like 30s, 1m30s or 500ms", "%s %q is not a duration", field, s)
	case d < minDuration:
		return newProblem("remove it for the runtime's default", "%s %s is less than 1ms", field, s)
	}
	return nil
}

// resolveHealthcheck is a valid health check with its durations parsed;
// nil for none or [NONE].
func resolveHealthcheck(h *Healthcheck) *ResolvedHealthcheck {
	if h == nil || len(h.Test) == 0 || (len(h.Test) == 1 && h.Test[0] == HealthcheckNone) {
		return nil
	}
	parse := func(s string) time.Duration {
		d, _ := time.ParseDuration(s) // valid, or "" for the runtime's default
		return d
	}
	return &ResolvedHealthcheck{
		Test:          slices.Clone(h.Test),
		Interval:      parse(h.Interval),
		Timeout:       parse(h.Timeout),
		StartPeriod:   parse(h.StartPeriod),
		StartInterval: parse(h.StartInterval),
		Retries:       valueOr(h.Retries, 0),
	}
}

// volumes checks the volumes a target (prefix) sets: absolute, clean, not
// the root, each once.
func (v *validator) volumes(prefix string, vols []string) {
	seen := map[string]int{}
	for i, vol := range vols {
		p := joinIndex(joinKey(prefix, "volumes"), i)
		if prob := checkImagePath("volume", vol); prob != nil {
			prob.hint = cmp.Or(prob.hint, exampleOf("volumes"))
			v.check(p, prob)
			continue
		}
		c := path.Clean(vol)
		if c == "/" {
			v.check(p, newProblem("name the directory the program writes, e.g. volumes: [/var/lib/app]", "the root cannot be a volume"))
			continue
		}
		if first, dup := seen[c]; dup {
			v.check(p, newProblem("remove one", "volume %s is already listed as volumes[%d]", c, first))
			continue
		}
		seen[c] = i
	}
}

// cleanPaths are paths, cleaned; nil for none.
func cleanPaths(paths []string) []string {
	if len(paths) == 0 {
		return nil
	}
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = path.Clean(p)
	}
	return out
}
