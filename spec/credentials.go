package spec

import (
	"strings"
)

// Credentials in go and proxy variables: the one place that knows which
// variables can carry a credential and how to find it there, for goenv (the
// validator), the go build arguments (frontend) and lint. The environment of
// a step is recorded in the LLB, the provenance attestation and the exported
// cache, so a credential written into it leaks.

// credentialRule is how a variable's value is searched for credentials.
type credentialRule int

const (
	noCredentialRule credentialRule = iota
	// userinfoRule: URLs, host names or patterns, with or without a scheme;
	// any user info is a credential (user@host included: a token is often
	// the user name). The go command adds https:// to a scheme-less GOPROXY
	// entry and sends what is before the @.
	userinfoRule
	// commandRule: GOAUTH, commands and their arguments (netrc, git DIR,
	// off, or a command line). An argument with user info and a password
	// (user:secret@host) or a URL with user info is a credential; a plain
	// user@host argument (an email, an ssh login) is not.
	commandRule
)

// goCredentialVars are the go variables that can carry a credential: the
// URL lists (GOPROXY, GOSUMDB), the module path patterns (no module path
// has an @), and GOAUTH.
var goCredentialVars = map[string]credentialRule{
	"GOPROXY": userinfoRule, "GOSUMDB": userinfoRule,
	"GOPRIVATE": userinfoRule, "GONOPROXY": userinfoRule, "GONOSUMDB": userinfoRule,
	"GOINSECURE": userinfoRule, "GOVCS": userinfoRule,
	"GOAUTH": commandRule,
}

// proxyVars are the proxy variables the go command, git and curl read, in
// any case (http_proxy, HTTPS_PROXY).
var proxyVars = map[string]bool{"HTTP_PROXY": true, "HTTPS_PROXY": true, "ALL_PROXY": true, "NO_PROXY": true}

func isProxyVar(name string) bool { return proxyVars[strings.ToUpper(name)] }

func credentialRuleOf(name string) credentialRule {
	if isProxyVar(name) {
		return userinfoRule
	}
	return goCredentialVars[name]
}

// ProxyCredentials reports whether value, the value of the variable name,
// holds a credential: user info in any entry of a go or proxy variable
// (GOPROXY, GOSUMDB, GOAUTH, GOPRIVATE and the other patterns, HTTP_PROXY,
// HTTPS_PROXY, ALL_PROXY, NO_PROXY in any case), with or without a scheme.
// redacted is the first such entry with the secret part replaced by xxxxx.
// Any other variable has none.
func ProxyCredentials(name, value string) (redacted string, ok bool) {
	rule := credentialRuleOf(name)
	if rule == noCredentialRule {
		return "", false
	}
	for _, part := range strings.FieldsFunc(value, isEntrySeparator) {
		prefix, info, rest, found := splitUserinfo(part)
		if !found || rule == commandRule && prefix == "" && !strings.Contains(info, ":") {
			continue
		}
		return prefix + redactUserinfo(info) + "@" + rest, true
	}
	return "", false
}

// isEntrySeparator separates the entries of a list (GOPROXY's , and |,
// NO_PROXY's ,), GOSUMDB's name and URL, and GOAUTH's commands (;) and
// arguments.
func isEntrySeparator(r rune) bool {
	return r == ',' || r == '|' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
}

// splitUserinfo splits an entry into its scheme (with ://, or ""), its user
// info and what follows the @. The user info is everything before the last @
// ahead of the first / after the scheme, so user@host, user:pass@host and
// https://user:p%40ss@[::1]:8080/path are found alike, parsed or not.
func splitUserinfo(part string) (prefix, info, rest string, ok bool) {
	prefix, part = splitScheme(part)
	end := strings.IndexByte(part, '/')
	if end < 0 {
		end = len(part)
	}
	at := strings.LastIndexByte(part[:end], '@')
	if at < 0 {
		return "", "", "", false
	}
	return prefix, part[:at], part[at+1:], true
}

// splitScheme splits "scheme://" off s, if it has one.
func splitScheme(s string) (prefix, rest string) {
	if i := strings.Index(s, "://"); i > 0 && isScheme(s[:i]) {
		return s[:i+3], s[i+3:]
	}
	return "", s
}

// isScheme reports whether s is a URL scheme: a letter, then letters,
// digits, +, - and ..
func isScheme(s string) bool {
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.'):
		default:
			return false
		}
	}
	return s != ""
}

// redactUserinfo keeps the user name of user:password and hides the
// password, as url.URL.Redacted does; a user alone is hidden, as it is often
// a token (https://TOKEN@host).
func redactUserinfo(info string) string {
	user, _, hasPassword := strings.Cut(info, ":")
	if !hasPassword {
		return "xxxxx"
	}
	return user + ":xxxxx"
}

// credentialsHint says where the credential goes instead.
func credentialsHint(name string) string {
	const recorded = "the value would be recorded in the build's provenance and cache; "
	if isProxyVar(name) {
		id := strings.ToLower(name)
		return recorded + "give the proxy URL to the download step as a secret variable: secrets: [{id: " + id + ", env: " + name + "}] and --secret id=" + id + ",env=" + name
	}
	return recorded + "put the credentials in a netrc secret: secrets: [netrc] and --secret id=netrc,src=$HOME/.netrc"
}

// RedactSource is a source repository URL (VCS_SOURCE, buildx's vcs:source)
// as it may appear in an image's labels and annotations, which anyone who
// pulls the image reads: without credentials, query or fragment.
//   - A URL with a scheme loses all its user info, as buildx strips it from
//     its own vcs:source: https://TOKEN@host/r and ssh://git@host/r become
//     https://host/r and ssh://host/r.
//   - The scp-like form keeps a plain user, which ssh never takes for a
//     credential and buildx leaves too (git@github.com:org/repo.git stays);
//     user info with a password (u:tok@host:repo) goes.
//   - The query and the fragment go (https://host/r?token=x#main is
//     https://host/r): neither names the repository, a query may carry a
//     token, and the revision has its own field.
//
// The user info is found as for ProxyCredentials: everything before the last
// @ ahead of the first / after the scheme, so a password holding @, ?, # or
// a percent escape goes whole.
func RedactSource(src string) string {
	prefix, info, rest, ok := splitUserinfo(src)
	switch {
	case !ok:
		prefix, rest = splitScheme(src)
	case prefix == "" && !strings.Contains(info, ":"):
		rest = info + "@" + rest // scp-like git@host:repo
	}
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	return prefix + rest
}
