package cli

import (
	"flag"

	"github.com/goscratch/goscratch/spec"
)

var _ = register(&command{
	name:    "schema",
	summary: "Print the spec's JSON schema (for editors and other validators).",
	help: `
Save it next to your spec and point the YAML language server at it with a
first-line comment, or use the published copy:

  # yaml-language-server: $schema=https://raw.githubusercontent.com/goscratch/goscratch/main/spec/schema.json`,
	flags: func(fs *flag.FlagSet) func(*ctx, []string) error {
		return func(c *ctx, args []string) error {
			if len(args) > 0 {
				return usageErr("schema takes no arguments")
			}
			_, err := c.stdout.Write(spec.Schema())
			return err
		}
	},
})
