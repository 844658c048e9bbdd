package spec

import (
	"strings"
)

// The go environment (goenv) is the spec author's, and the steps it goes
// into share their caches with other builds of the same settings (see
// llb/trust.go). So goenv may tune the go command but not replace it, its
// configuration or its cache, nor hide flags the goflags field refuses.

// replacedGoenv are the variables that would swap the go command, its
// configuration file or its cache program for the author's.
var replacedGoenv = map[string]string{
	"PATH":        "goscratch runs the builder image's go; choose another with builder: or go:",
	"GOROOT":      "goscratch runs the builder image's go; choose another with builder: or go:",
	"GOTOOLCHAIN": "goscratch runs the builder image's go (GOTOOLCHAIN=local); choose the version with go: or builder:",
	"GOENV":       "set the variables in goenv itself",
	"GOCACHEPROG": "goscratch serves the build cache itself",
}

// checkGoenvSetting checks a goenv variable's value for what the go command
// would run or be told through it: GOFLAGS holds goflags (each checked as
// the goflags field is), GOAUTH may name netrc, git or off but not a
// command of the author's.
func checkGoenvSetting(name, value string) *problem {
	switch name {
	case "GOFLAGS":
		for _, f := range strings.Fields(value) {
			if p := checkGoflag(f); p != nil {
				return p
			}
		}
	case "GOAUTH":
		for _, part := range strings.Split(value, ";") {
			cmd := strings.Fields(part)
			if len(cmd) == 0 {
				continue
			}
			switch cmd[0] {
			case "off", "netrc", "git":
			default:
				return newProblem("use GOAUTH=netrc with secrets: [netrc], or ssh: for git over ssh",
					"GOAUTH runs %q: a command of the spec's own is not allowed", cmd[0])
			}
		}
	}
	return nil
}
