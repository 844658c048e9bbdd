package llb

import (
	"fmt"
	"strings"

	"github.com/goscratch/goscratch/spec"
)

// homeDir is the home directory written to /etc/passwd for a user.
func homeDir(u spec.User) string {
	if u.UID == 0 {
		return "/root"
	}
	return "/home/" + u.Name
}

// passwd and group are the account files for the image's user: root always,
// plus the user when it is not root. Entries are deterministic.
func passwd(u spec.User) []byte {
	var b strings.Builder
	b.WriteString("root:x:0:0:root:/root:/sbin/nologin\n")
	if u.UID != 0 {
		fmt.Fprintf(&b, "%s:x:%d:%d:%s:%s:/sbin/nologin\n", u.Name, u.UID, u.GID, u.Name, homeDir(u))
	}
	return []byte(b.String())
}

func group(u spec.User) []byte {
	var b strings.Builder
	b.WriteString("root:x:0:\n")
	if u.GID != 0 {
		fmt.Fprintf(&b, "%s:x:%d:\n", u.Name, u.GID)
	}
	return []byte(b.String())
}
