package llb

import "github.com/goscratch/goscratch/spec"

// Accounts are the /etc/passwd and /etc/group contents and the home
// directory an image gets for its user, for tools that write the same image
// another way (goscratch dockerfile).
func Accounts(u spec.User) (passwdFile, groupFile []byte, home string) {
	return passwd(u), group(u), homeDir(u)
}
