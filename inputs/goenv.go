package inputs

import (
	"fmt"

	"github.com/goscratch/goscratch/spec"
)

// GoenvArgs are the go variables a build argument sets over the spec's
// goenv, so CI can point a build at its proxy or mark private modules
// without editing the spec: --build-arg GOPROXY=https://proxy.corp.example.
var GoenvArgs = []string{"GOPROXY", "GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOINSECURE", "GOSUMDB", "GOVCS", "GOAUTH"}

// applyGoenvArgs copies those build arguments into the target's goenv. A
// value with credentials is refused by the same rule as goenv in the spec
// (spec.ProxyCredentials: user info in any entry, with or without a scheme,
// in every variable above): build arguments are recorded in the provenance
// attestation, and goenv in every step's environment.
func applyGoenvArgs(r *spec.Resolved, buildArgs map[string]string) error {
	for _, k := range GoenvArgs {
		v, ok := buildArgs[k]
		if !ok {
			continue
		}
		if err := spec.CheckGoenvValue(k, v); err != nil {
			return fmt.Errorf("--build-arg %s: %w", k, err)
		}
		r.Goenv[k] = v
	}
	return nil
}
