// Command goscratch-frontend is the BuildKit gateway frontend. Select it with
// `# syntax=<image>` on the first line of a goscratch spec, or with
// `buildctl build --frontend gateway.v0 --opt source=<image>`.
package main

import (
	"fmt"
	"os"

	"github.com/goscratch/goscratch/frontend"
	"github.com/moby/buildkit/frontend/gateway/grpcclient"
	"github.com/moby/buildkit/util/appcontext"
)

func main() {
	if err := grpcclient.RunFromEnvironment(appcontext.Context(), frontend.Build); err != nil {
		fmt.Fprintf(os.Stderr, "goscratch: %v\n", err)
		os.Exit(1)
	}
}
