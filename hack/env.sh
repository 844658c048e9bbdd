#!/usr/bin/env bash
# The goscratch lab's variables. Their one source is internal/lab (goscratch-lab env).
#   . hack/env.sh             # in bash: export them into this shell
#   eval "$(hack/env.sh)"     # any POSIX shell: same, through eval
# Exports GOSCRATCH_CACHE (~/.cache/goscratch), GOSCRATCH_ENV ($GOSCRATCH_CACHE/env),
# GOSCRATCH_REGISTRY (127.0.0.1:5000), GOSCRATCH_BUILDER and BUILDX_BUILDER (goscratch:
# plain `docker buildx build` uses it), BUILDKIT_HOST (unix://$GOSCRATCH_ENV/buildkitd.sock,
# for buildctl and Go clients) and PATH with $GOSCRATCH_CACHE/bin (buildkitd, buildctl,
# docker-buildx) first. GOSCRATCH_ENV, GOSCRATCH_REGISTRY and GOSCRATCH_BUILDER set
# beforehand name a second lab (say /tmp/lab2, 127.0.0.1:5055, goscratch-lab2).

if ! _goscratch_env=$(go -C "$(dirname "${BASH_SOURCE[0]}")/.." run ./cmd/goscratch-lab env -path "$PATH"); then
	echo "error: go run ./cmd/goscratch-lab env failed (go must be on PATH)" >&2
	# shellcheck disable=SC2317 # return when sourced, exit when run
	return 1 2>/dev/null || exit 1
fi
eval "$_goscratch_env"
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	printf '%s\n' "$_goscratch_env"
fi
unset _goscratch_env
