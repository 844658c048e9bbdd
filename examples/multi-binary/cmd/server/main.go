// Command server is the entrypoint of the multi-binary example. With
// -selfcheck it prints its version, its user and its config file's mode and
// owner (the spec's files: entry), then exits.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"syscall"
)

var version = "dev"

const config = "/etc/multibin/app.yaml"

func main() {
	selfcheck := flag.Bool("selfcheck", false, "print version, user and config, then exit")
	flag.Parse()
	if !*selfcheck {
		fmt.Println("server", version, "would serve on :8080")
		return
	}
	fmt.Printf("server version=%s uid=%d\n", version, os.Getuid())
	fi, err := os.Stat(config)
	if err != nil {
		fmt.Println("config: FAIL", err)
		os.Exit(1)
	}
	st := fi.Sys().(*syscall.Stat_t)
	dt, err := os.ReadFile(config)
	if err != nil {
		fmt.Println("config: FAIL", err)
		os.Exit(1)
	}
	fmt.Printf("config: mode=%04o owner=%d:%d %s\n", fi.Mode().Perm(), st.Uid, st.Gid, strings.TrimSpace(string(dt)))
}
