package cli

import (
	"flag"
	"fmt"
	"strings"
)

// buildArgFlag registers the repeatable --build-arg NAME=VALUE flag.
func buildArgFlag(fs *flag.FlagSet, usage string) map[string]string {
	args := map[string]string{}
	fs.Func("build-arg", usage, func(v string) error {
		k, val, ok := strings.Cut(v, "=")
		if !ok || k == "" {
			return fmt.Errorf("want NAME=VALUE, got %q", v)
		}
		args[k] = val
		return nil
	})
	return args
}
