package spec

import "testing"

const netrcHint = "the value would be recorded in the build's provenance and cache; put the credentials in a netrc secret: secrets: [netrc] and --secret id=netrc,src=$HOME/.netrc"

// holds is the message for a go variable holding credentials.
func holds(name, redacted string) string {
	return name + " holds credentials (" + redacted + ") (" + netrcHint + ")"
}

// proxyHolds is the message for a proxy variable holding credentials.
func proxyHolds(name, id, redacted string) string {
	return name + " holds credentials (" + redacted + ") (the value would be recorded in the build's provenance and cache; " +
		"give the proxy URL to the download step as a secret variable: secrets: [{id: " + id + ", env: " + name + "}] and --secret id=" + id + ",env=" + name + ")"
}

func TestCheckGoenvValueCredentials(t *testing.T) {
	const key = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ey18htu2Ah2ZeZ"
	for _, tc := range []struct {
		name, value string
		want        string // "" for no error
	}{
		// the two bypasses of issue 15: no scheme, the go command adds https://
		{"GOPROXY", "u:tok@proxy.example", holds("GOPROXY", "u:xxxxx@proxy.example")},
		{"GOPROXY", "proxy.example,u:tok@proxy2.example", holds("GOPROXY", "u:xxxxx@proxy2.example")},
		// GOPROXY forms
		{"GOPROXY", "https://u:p@h", holds("GOPROXY", "https://u:xxxxx@h")},
		{"GOPROXY", "u:p@h", holds("GOPROXY", "u:xxxxx@h")},
		{"GOPROXY", "h,u:p@h2", holds("GOPROXY", "u:xxxxx@h2")},
		{"GOPROXY", "h|u@h2", holds("GOPROXY", "xxxxx@h2")},
		{"GOPROXY", "https://token@proxy.example", holds("GOPROXY", "https://xxxxx@proxy.example")},
		{"GOPROXY", "https://a.example|https://u:p@b.example,direct", holds("GOPROXY", "https://u:xxxxx@b.example")},
		{"GOPROXY", "https://u:p%40ss@h/go", holds("GOPROXY", "https://u:xxxxx@h/go")},
		{"GOPROXY", "https://tok%3Ax@h", holds("GOPROXY", "https://xxxxx@h")},
		{"GOPROXY", "https://u:p@ss@h", holds("GOPROXY", "https://u:xxxxx@h")},
		{"GOPROXY", "HTTPS://u:p@H", holds("GOPROXY", "HTTPS://u:xxxxx@H")},
		{"GOPROXY", "u:p@[::1]:8080", holds("GOPROXY", "u:xxxxx@[::1]:8080")},
		{"GOPROXY", "https://u:p@[fe80::1%25en0]:3000/go", holds("GOPROXY", "https://u:xxxxx@[fe80::1%25en0]:3000/go")},
		{"GOPROXY", "https://u:p@h/x@y", holds("GOPROXY", "https://u:xxxxx@h/x@y")},
		{"GOPROXY", " https://u:p@h ", holds("GOPROXY", "https://u:xxxxx@h")},
		{"GOPROXY", "direct", ""},
		{"GOPROXY", "off", ""},
		{"GOPROXY", "", ""},
		{"GOPROXY", "file:///x", ""},
		{"GOPROXY", "file:///srv/mods@2024", ""},
		{"GOPROXY", "https://proxy.golang.org,direct", ""},
		{"GOPROXY", "proxy.example|direct", ""},
		{"GOPROXY", "https://[::1]:8080", ""},
		{"GOPROXY", "https://[fe80::1%25en0]:3000/go", ""},
		{"GOPROXY", "https://h/mods/@latest", ""},
		{"GOPROXY", "https://h/p%40th", ""},
		// GOSUMDB: name[+key] [url]; the url and the name are both checked
		{"GOSUMDB", "sum.golang.org https://u:p@h", holds("GOSUMDB", "https://u:xxxxx@h")},
		{"GOSUMDB", "sum.golang.org u:p@h", holds("GOSUMDB", "u:xxxxx@h")},
		{"GOSUMDB", key + " https://u@sum.example", holds("GOSUMDB", "https://xxxxx@sum.example")},
		{"GOSUMDB", "u:p@sum.example+033de0ae+key", holds("GOSUMDB", "u:xxxxx@sum.example+033de0ae+key")},
		{"GOSUMDB", key, ""},
		{"GOSUMDB", key + " https://sum.golang.org", ""},
		{"GOSUMDB", "sum.golang.google.cn", ""},
		{"GOSUMDB", "off", ""},
		// module path patterns: no module path has an @
		{"GOPRIVATE", "*.corp.example,github.com/acme/*", ""},
		{"GOPRIVATE", "u:p@corp.example/*", holds("GOPRIVATE", "u:xxxxx@corp.example/*")},
		{"GOPRIVATE", "https://u:p@x", holds("GOPRIVATE", "https://u:xxxxx@x")},
		{"GONOPROXY", "corp.example,tok@corp.example", holds("GONOPROXY", "xxxxx@corp.example")},
		{"GONOSUMDB", "u:p@corp.example", holds("GONOSUMDB", "u:xxxxx@corp.example")},
		{"GOINSECURE", "u:p@insecure.example", holds("GOINSECURE", "u:xxxxx@insecure.example")},
		{"GOINSECURE", "insecure.example/mods", ""},
		{"GOVCS", "github.com:git,evil.com:off,*:git|hg", ""},
		{"GOVCS", "u:p@corp.example:git", holds("GOVCS", "u:xxxxx@corp.example:git")},
		// GOAUTH: commands; a password or a URL with user info is a credential
		{"GOAUTH", "netrc", ""},
		{"GOAUTH", "off", ""},
		{"GOAUTH", "git /src/repo", ""},
		{"GOAUTH", "netrc; git /src/repo", ""},
		{"GOAUTH", "authtool --login=alice@corp.example", `GOAUTH runs "authtool": a command of the spec's own is not allowed (use GOAUTH=netrc with secrets: [netrc], or ssh: for git over ssh)`}, // no credential, but a command (goenv.go)
		{"GOAUTH", "authtool u:tok@corp.example", holds("GOAUTH", "u:xxxxx@corp.example")},
		{"GOAUTH", "netrc;authtool --auth=u:tok@corp.example", holds("GOAUTH", "--auth=u:xxxxx@corp.example")},
		{"GOAUTH", "authtool https://tok@corp.example", holds("GOAUTH", "https://xxxxx@corp.example")},
		// proxy variables, any case
		{"HTTPS_PROXY", "http://u:p@proxy.corp:3128", proxyHolds("HTTPS_PROXY", "https_proxy", "http://u:xxxxx@proxy.corp:3128")},
		{"https_proxy", "u:p@proxy.corp:3128", proxyHolds("https_proxy", "https_proxy", "u:xxxxx@proxy.corp:3128")},
		{"HTTP_PROXY", "tok@proxy.corp", proxyHolds("HTTP_PROXY", "http_proxy", "xxxxx@proxy.corp")},
		{"ALL_PROXY", "socks5://u:p@[::1]:1080", proxyHolds("ALL_PROXY", "all_proxy", "socks5://u:xxxxx@[::1]:1080")},
		{"no_proxy", "localhost,u:p@h", proxyHolds("no_proxy", "no_proxy", "u:xxxxx@h")},
		{"HTTPS_PROXY", "http://proxy.corp:3128", ""},
		{"NO_PROXY", "localhost,127.0.0.1,.corp.example,10.0.0.0/8,[::1]", ""},
		// other variables are not URL lists
		{"GOFLAGS", "-gcflags=main=-d=u:b@c", ""},
		{"GOEXPERIMENT", "u:p@h", ""},
		{"goproxy", "u:p@h", ""}, // the go command reads GOPROXY only
		{"GOPROXYX", "u:p@h", ""},
	} {
		err := CheckGoenvValue(tc.name, tc.value)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%s=%q:\n got %q\nwant %q", tc.name, tc.value, got, tc.want)
		}
	}
}

func TestProxyCredentials(t *testing.T) {
	for _, tc := range []struct {
		name, value, redacted string
		ok                    bool
	}{
		{"GOPROXY", "proxy.example,u:tok@proxy2.example", "u:xxxxx@proxy2.example", true},
		{"https_proxy", "http://tok@proxy", "http://xxxxx@proxy", true},
		{"GOPROXY", "https://proxy.golang.org,direct", "", false},
		{"PATH", "u:p@h", "", false},
	} {
		redacted, ok := ProxyCredentials(tc.name, tc.value)
		if redacted != tc.redacted || ok != tc.ok {
			t.Errorf("ProxyCredentials(%s, %q) = %q, %v; want %q, %v", tc.name, tc.value, redacted, ok, tc.redacted, tc.ok)
		}
	}
}

func TestRedactSource(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"https://github.com/org/repo", "https://github.com/org/repo"},
		{"https://github.com/org/repo.git", "https://github.com/org/repo.git"},
		// user info with a scheme: all of it goes, as buildx strips it
		{"https://u:tok@github.com/org/repo.git", "https://github.com/org/repo.git"},
		{"https://ghp_abcdef@github.com/org/repo", "https://github.com/org/repo"},
		{"https://x-access-token:tok@github.com/org/repo", "https://github.com/org/repo"},
		{"https://:tok@github.com/org/repo", "https://github.com/org/repo"},
		{"https://u:p@ss@host/repo", "https://host/repo"},
		{"https://u:p%40ss@host/repo", "https://host/repo"},
		{"https://u:p#ss@host/repo", "https://host/repo"},
		{"https://u:p?ss@host/repo", "https://host/repo"},
		{"https://u:tok@host", "https://host"},
		{"https://u:tok@[::1]:8443/repo", "https://[::1]:8443/repo"},
		{"ssh://git@github.com/org/repo.git", "ssh://github.com/org/repo.git"},
		{"git+ssh://u:tok@host:2222/repo", "git+ssh://host:2222/repo"},
		{"HTTPS://U:TOK@HOST/r", "HTTPS://HOST/r"},
		// an @ in the path is not user info
		{"https://host/org/repo@v1", "https://host/org/repo@v1"},
		// query and fragment go
		{"https://host/org/repo?token=abc", "https://host/org/repo"},
		{"https://host/org/repo.git#main", "https://host/org/repo.git"},
		{"https://u:tok@host/org/repo.git?private_token=x#main:sub", "https://host/org/repo.git"},
		// scp-like: a plain user stays (as buildx), a password goes
		{"git@github.com:org/repo.git", "git@github.com:org/repo.git"},
		{"github.com:org/repo.git", "github.com:org/repo.git"},
		{"u:tok@github.com:org/repo.git", "github.com:org/repo.git"},
		{"git@github.com:org/repo.git#main", "git@github.com:org/repo.git"},
		// neither: left as it is
		{"/home/me/src/repo", "/home/me/src/repo"},
		{"repo", "repo"},
	} {
		if got := RedactSource(tc.in); got != tc.want {
			t.Errorf("RedactSource(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
