package spec

import (
	"strconv"
	"strings"
)

// Well-known users.
var (
	rootUser    = User{Name: UserRoot, UID: 0, GID: 0}
	nonrootUser = User{Name: UserNonroot, UID: 65532, GID: 65532}
)

// parseUser reads `root`, `nonroot`, `UID` or `UID:GID`. A numeric user is
// named "root" for uid 0 and "app" otherwise in /etc/passwd.
func parseUser(s string) (User, *problem) {
	switch s {
	case UserRoot:
		return rootUser, nil
	case UserNonroot:
		return nonrootUser, nil
	}
	uidText, gidText, hasGID := strings.Cut(s, ":")
	if !hasGID {
		gidText = uidText
	}
	uid, uidOK := parseID(uidText)
	gid, gidOK := parseID(gidText)
	if !uidOK || !gidOK {
		return User{}, newProblem("e.g. user: 1000:1000; goscratch writes /etc/passwd itself, so other names do not exist",
			"user %q is not root, nonroot, UID or UID:GID", s)
	}
	name := "app"
	if uid == 0 {
		name = "root"
	}
	return User{Name: name, UID: uid, GID: gid}, nil
}

// parseID reads a decimal uid or gid in 0..2^31-1.
func parseID(s string) (int, bool) {
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 31)
	return int(n), err == nil
}

// checkOwner checks a files[].owner value: `UID:GID`.
func checkOwner(s string) *problem {
	uid, gid, ok := strings.Cut(s, ":")
	_, uidOK := parseID(uid)
	_, gidOK := parseID(gid)
	if !ok || !uidOK || !gidOK {
		return newProblem("e.g. owner: 65532:65532", "owner %q is not UID:GID", s)
	}
	return nil
}
