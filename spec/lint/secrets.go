package lint

import (
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/goscratch/goscratch/spec"
)

// Rules about secrets where they do not belong.

// secretNameRE matches variable names that usually hold a secret.
var secretNameRE = regexp.MustCompile(`(?i)(^|_)(SECRET|TOKEN|PASSWORD|PASSWD|PASS|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH)$`)

// secretValueRE matches well-known token formats.
var secretValueRE = regexp.MustCompile(`\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16})\b|-----BEGIN [A-Z ]*PRIVATE KEY-----`)

// urlPasswordRE finds URLs with a password in them: https://user:pass@host.
var urlPasswordRE = regexp.MustCompile(`[a-zA-Z][a-zA-Z0-9+.-]*://[^\s/@,|]+@[^\s,|]+`)

// secretIn says why name=value looks like it holds a secret, or "". A go or
// proxy variable (GOPROXY, HTTPS_PROXY, ...) is checked by the spec's own rule,
// which finds user info with or without a scheme; any other value only for a
// URL with a scheme and a password.
func secretIn(name, value string) string {
	if value == "" {
		return ""
	}
	if m := secretValueRE.FindString(value); m != "" {
		return "its value looks like an access token or private key"
	}
	if redacted, ok := spec.ProxyCredentials(name, value); ok {
		return "its value holds credentials (" + redacted + ")"
	}
	for _, u := range urlPasswordRE.FindAllString(value, -1) {
		if parsed, err := url.Parse(u); err == nil && parsed.User != nil {
			if _, hasPassword := parsed.User.Password(); hasPassword {
				return "its value has a URL with a password (" + parsed.Redacted() + ")"
			}
		}
	}
	if name != "" && secretNameRE.MatchString(name) {
		return "its name says it holds a secret"
	}
	return ""
}

var secretInSpec = &Rule{
	ID:          "SecretInSpec",
	Description: "a goenv, env, label or annotation value looks like a secret",
	check: func(r *run) {
		for _, b := range r.blocks() {
			where := []struct {
				field string
				m     map[string]string
				why   string
				names bool // the key is a variable name
			}{
				{"goenv", b.t.Goenv, "goenv is stored in the build graph and cache; give credentials to the build as BuildKit secrets instead", true},
				{"env", b.t.Env, "env is in the image config, readable by anyone who pulls the image; pass it at run time", true},
				{"labels", b.t.Labels, "labels are in the image config, readable by anyone who pulls the image", false},
				{"annotations", b.t.Annotations, "annotations are in the image manifest, readable by anyone who pulls the image", false},
			}
			for _, w := range where {
				for _, k := range slices.Sorted(maps.Keys(w.m)) {
					name := ""
					if w.names {
						name = k
					}
					if why := secretIn(name, w.m[k]); why != "" {
						r.report(b.at(w.field, k), "%s %s: %s; %s", w.field, k, why, w.why)
					}
				}
			}
		}
	},
}

// notSecretArgs are build args BuildKit and goscratch define, never secrets.
func notSecretArg(name string) bool {
	return strings.HasPrefix(name, "BUILDKIT_") || name == "SOURCE_DATE_EPOCH"
}

var secretInBuildArg = &Rule{
	ID:          "SecretInBuildArg",
	Description: "a build arg looks like a secret",
	check: func(r *run) {
		for _, k := range slices.Sorted(maps.Keys(r.BuildArgs)) {
			if notSecretArg(k) {
				continue
			}
			if why := secretIn(k, r.BuildArgs[k]); why != "" {
				r.report("", "build arg %s: %s; build args are recorded in the provenance attestation and the build history: use --secret id=%s instead", k, why, strings.ToLower(k))
			}
		}
	},
}
