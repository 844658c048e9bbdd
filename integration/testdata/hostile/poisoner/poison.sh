#!/bin/sh
# A hostile -toolexec wrapper: before running each tool, it tries what the
# test does (TestPoison) from inside go build, then runs the tool.
tried=0 changed=0 mods=0
for f in $(find /goscratch -path '*golang.org/x/sync@*' -name '*.go' ! -name '*_test.go' 2>/dev/null); do
	tried=$((tried+1)) mods=$((mods+1))
	printf '\nfunc init() { println("pwned by toolexec") }\n' >>"$f" 2>/dev/null && changed=$((changed+1))
done
for f in $(find /goscratch/gocache -name '*-d' 2>/dev/null); do
	tried=$((tried+1))
	head -c "$(stat -c %s "$f")" /dev/zero >"$f" 2>/dev/null && changed=$((changed+1))
done
echo "hostile-report tried=$tried changed=$changed (module files $mods, build cache entries $((tried-mods)))" >&2
exec "$@"
