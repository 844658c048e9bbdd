package lint

import (
	"bufio"
	"bytes"
	"strings"
)

// Skipped reads the rules a spec turns off with a comment line before its
// first field, like a Dockerfile's check directive:
//
//	# check=skip=BuilderNotPinned,LdflagsNotStripped
//
// `skip=all` turns every rule off. Unknown rule IDs are ignored.
func Skipped(data []byte) map[string]bool {
	skip := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if !strings.HasPrefix(line, "#") {
			break
		}
		value, ok := strings.CutPrefix(strings.TrimSpace(strings.TrimPrefix(line, "#")), "check=")
		if !ok {
			continue
		}
		for _, part := range strings.Split(value, ";") {
			ids, ok := strings.CutPrefix(strings.TrimSpace(part), "skip=")
			if !ok {
				continue
			}
			for _, id := range strings.Split(ids, ",") {
				id = strings.TrimSpace(id)
				if id == "all" {
					for _, r := range Rules {
						skip[r.ID] = true
					}
				}
				skip[id] = true
			}
		}
	}
	return skip
}
