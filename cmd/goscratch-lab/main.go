// Command goscratch-lab runs the goscratch lab (internal/lab): a registry,
// a buildkitd and docker buildx remote builders on it, and the golang
// builder images in its registry. hack/*.sh and make call it.
//
//	goscratch-lab up [-nodes amd64,arm64 [-builder NAME] [-buildkitd EXECUTABLE]]
//	goscratch-lab down [-purge] [-nodes amd64,arm64 [-builder NAME]]
//	goscratch-lab env [-path PATH]    export lines for eval (hack/env.sh)
//	goscratch-lab status [-q]         exit 1 when the registry or buildkitd is not healthy
//	goscratch-lab golang-image [-flavour plain|bookworm] [-force] [-refresh] [-no-verify] [-check=false] [VERSION...]
//
// The lab is the one the environment names: GOSCRATCH_CACHE, GOSCRATCH_ENV,
// GOSCRATCH_REGISTRY, GOSCRATCH_BUILDER (defaults: ~/.cache/goscratch,
// $GOSCRATCH_CACHE/env, 127.0.0.1:5000, goscratch).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/goscratch/goscratch/internal/lab"
	"github.com/goscratch/goscratch/internal/lab/golangimage"
	"github.com/goscratch/goscratch/spec"
)

const usage = `usage: goscratch-lab COMMAND [flags]

commands:
  up            start (or reuse) the registry, buildkitd and buildx builder
  down          stop them (data kept unless -purge)
  env           print the lab's variables as export lines (eval "$(goscratch-lab env)")
  status        show the services; exit 1 when the registry or buildkitd is not healthy
  golang-image  make golang:<version> builder images in the lab registry

Run goscratch-lab COMMAND -h for a command's flags.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	l := lab.FromEnv(os.Getenv)
	path := os.Getenv("PATH")
	// The lab's tools (hack/install.sh) come first, as with hack/env.sh.
	_ = os.Setenv("PATH", l.Path(path))
	code, err := run(ctx, l, os.Args[1], os.Args[2:], path, os.Stdout)
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

func run(ctx context.Context, l *lab.Lab, cmd string, args []string, path string, stdout io.Writer) (int, error) {
	fs := flag.NewFlagSet("goscratch-lab "+cmd, flag.ContinueOnError)
	switch cmd {
	case "up", "down":
		nodes := fs.String("nodes", "", "extra buildkitd nodes: NAME (platform linux/NAME) or NAME=PLATFORM[+PLATFORM], comma-separated")
		builder := fs.String("builder", "", "the buildx builder over the nodes (default $GOSCRATCH_BUILDER-multi)")
		buildkitd := ""
		if cmd == "up" {
			fs.StringVar(&buildkitd, "buildkitd", "", "the nodes' buildkitd `EXECUTABLE` (an older BuildKit, for make test-compat; default buildkitd on PATH)")
		}
		purge := false
		if cmd == "down" {
			fs.BoolVar(&purge, "purge", false, "also delete the lab's state (with -nodes: the nodes' only)")
		}
		if _, err := parse(fs, args, 0); err != nil {
			return 2, err
		}
		ns, err := lab.ParseNodes(*nodes)
		if err != nil {
			return 2, err
		}
		if *builder != "" && len(ns) == 0 {
			return 2, fmt.Errorf("-builder names the builder over -nodes; give -nodes too")
		}
		if buildkitd != "" && len(ns) == 0 {
			return 2, fmt.Errorf("-buildkitd is the nodes' executable; give -nodes too")
		}
		for i := range ns {
			ns[i].Buildkitd = buildkitd
		}
		if cmd == "up" {
			return 0, l.Up(ctx, lab.UpOptions{Nodes: ns, MultiBuilder: *builder})
		}
		return 0, l.Down(ctx, lab.DownOptions{Purge: purge, Nodes: ns, MultiBuilder: *builder})
	case "env":
		// `go run` puts GOROOT/bin first on its child's PATH: hack/env.sh
		// passes the shell's own.
		p := fs.String("path", path, "the PATH to put the lab's tools in front of")
		if _, err := parse(fs, args, 0); err != nil {
			return 2, err
		}
		_, err := io.WriteString(stdout, lab.ExportLines(l.Env(*p)))
		return 0, err
	case "status":
		quiet := fs.Bool("q", false, "print nothing, only the exit status")
		if _, err := parse(fs, args, 0); err != nil {
			return 2, err
		}
		w := stdout
		if *quiet {
			w = io.Discard
		}
		if !l.Status(ctx, w) {
			return 1, nil
		}
		return 0, nil
	case "golang-image":
		var o golangimage.Options
		flavour := fs.String("flavour", "plain", "plain (busybox, amd64+arm64) or bookworm (Debian with gcc)")
		bookworm := fs.Bool("bookworm", false, "the same as -flavour bookworm")
		fs.BoolVar(&o.Force, "force", false, "build and push even when up to date")
		fs.BoolVar(&o.Refresh, "refresh", false, "bookworm: debootstrap the rootfs again, for newer Debian packages")
		fs.BoolVar(&o.NoVerify, "no-verify", false, "skip the verify build after a push")
		fs.BoolVar(&o.Check, "check", true, "re-read the registry's digests of an unchanged image and rebuild a missing or moved tag (-check=false trusts the stamp)")
		versions, err := parse(fs, args, -1)
		if err != nil {
			return 2, err
		}
		if *bookworm {
			*flavour = string(golangimage.Bookworm)
		}
		if o.Flavour, err = golangimage.ParseFlavour(*flavour); err != nil {
			return 2, err
		}
		if o.Flavour == golangimage.Plain {
			o.Busybox = spec.DebugImage // the debug variant's default image
		}
		b := &golangimage.Builder{Lab: l, Opts: o}
		return 0, b.Run(ctx, versions)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0, nil
	}
	return 2, fmt.Errorf("unknown command %q\n%s", cmd, usage)
}

// parse parses flags anywhere among the arguments (the scripts it replaces
// took them so) and returns the others; max is how many may remain (-1:
// any number).
func parse(fs *flag.FlagSet, args []string, max int) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if max >= 0 && len(rest) > max {
		return nil, fmt.Errorf("%s: unexpected arguments: %s", fs.Name(), strings.Join(rest, " "))
	}
	return rest, nil
}
