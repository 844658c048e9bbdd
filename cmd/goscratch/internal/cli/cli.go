// Package cli is the goscratch command line: one file per command, each a
// thin layer over spec, spec/lint and llb.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Exit codes scripts can rely on.
const (
	ExitOK      = 0 // success (validate: the spec is valid; warnings do not count unless --strict)
	ExitFailed  = 1 // the spec is invalid, or the command could not do its work
	ExitUsage   = 2 // bad command line
	usageFooter = `
Exit codes: 0 success, 1 invalid spec or failure, 2 bad command line.`
)

// command is one subcommand.
type command struct {
	name    string
	args    string // positional arguments, for the usage line
	summary string
	help    string // more text after the flags
	flags   func(fs *flag.FlagSet) func(c *ctx, args []string) error
}

// ctx is what a command runs with.
type ctx struct {
	stdout, stderr io.Writer
}

// errUsage marks a bad command line: exit 2 with the command's usage.
var errUsage = errors.New("usage")

// errInvalid marks a failure already reported on stderr: exit 1.
var errInvalid = errors.New("invalid")

func usageErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, args...))
}

var commands []*command // filled by each command's file, in help order

func register(c *command) *command {
	commands = append(commands, c)
	return c
}

// Main runs the command line args (without the program name) and returns
// the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	c := &ctx{stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		c.mainUsage(stderr)
		return ExitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(rest) > 0 {
			if cmd := find(rest[0]); cmd != nil {
				cmd.usage(stdout, nil)
				return ExitOK
			}
		}
		c.mainUsage(stdout)
		return ExitOK
	}
	cmd := find(name)
	if cmd == nil {
		fmt.Fprintf(stderr, "goscratch: unknown command %q\n\n", name)
		c.mainUsage(stderr)
		return ExitUsage
	}
	return cmd.run(c, rest)
}

func find(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

func (c *ctx) mainUsage(w io.Writer) {
	fmt.Fprintln(w, "goscratch: work with goscratch specs (the YAML a BuildKit frontend turns into FROM-scratch Go images).")
	fmt.Fprintln(w, "\nUsage: goscratch COMMAND [flags] [args]")
	fmt.Fprintln(w, "\nCommands:")
	for _, cmd := range commands {
		fmt.Fprintf(w, "  %-11s %s\n", cmd.name, cmd.summary)
	}
	fmt.Fprintln(w, "\nRun `goscratch COMMAND --help` for a command's flags.")
	fmt.Fprintln(w, strings.TrimPrefix(usageFooter, "\n"))
}

func (cmd *command) flagSet() (*flag.FlagSet, func(c *ctx, args []string) error) {
	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs, cmd.flags(fs)
}

func (cmd *command) usage(w io.Writer, fs *flag.FlagSet) {
	if fs == nil {
		fs, _ = cmd.flagSet()
	}
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", strings.TrimSpace("goscratch "+cmd.name+" [flags] "+cmd.args), cmd.summary)
	if cmd.help != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(cmd.help))
	}
	var flags strings.Builder
	fs.SetOutput(&flags)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	if flags.Len() > 0 {
		fmt.Fprintf(w, "\nFlags:\n%s", flags.String())
	}
	fmt.Fprintln(w, usageFooter)
}

// run parses flags anywhere on the line (goscratch llb FILE --platform P
// works) and runs the command.
func (cmd *command) run(c *ctx, args []string) int {
	fs, do := cmd.flagSet()
	var positional []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			cmd.usage(c.stdout, fs)
			return ExitOK
		}
		if err != nil {
			fmt.Fprintf(c.stderr, "goscratch %s: %v\n\n", cmd.name, err)
			cmd.usage(c.stderr, fs)
			return ExitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	err := do(c, positional)
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, errUsage):
		fmt.Fprintf(c.stderr, "goscratch %s: %s\n\n", cmd.name, strings.TrimPrefix(err.Error(), "usage: "))
		cmd.usage(c.stderr, fs)
		return ExitUsage
	case errors.Is(err, errInvalid):
		return ExitFailed
	}
	fmt.Fprintf(c.stderr, "goscratch %s: %v\n", cmd.name, err)
	return ExitFailed
}

// oneFile is the single FILE argument of a command.
func oneFile(args []string) (string, error) {
	switch len(args) {
	case 1:
		return args[0], nil
	case 0:
		return "", usageErr("missing the spec FILE")
	}
	return "", usageErr("one spec FILE, got %d arguments", len(args))
}
