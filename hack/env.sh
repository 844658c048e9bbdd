#!/usr/bin/env bash
# The goscratch dev environment's variables, in one place.
#   . hack/env.sh             # in bash: export them into this shell
#   eval "$(hack/env.sh)"     # any POSIX shell: same, through eval
# Exports GOSCRATCH_CACHE, GOSCRATCH_ENV, GOSCRATCH_REGISTRY (127.0.0.1:5000),
# GOSCRATCH_BUILDER and BUILDX_BUILDER (goscratch: plain `docker buildx build` uses it),
# BUILDKIT_HOST (unix://$GOSCRATCH_ENV/buildkitd.sock, for buildctl and Go clients)
# and PATH with $GOSCRATCH_CACHE/bin (buildkitd, buildctl, docker-buildx) first.

GOSCRATCH_CACHE=${GOSCRATCH_CACHE:-$HOME/.cache/goscratch}
GOSCRATCH_ENV=${GOSCRATCH_ENV:-$GOSCRATCH_CACHE/env}
GOSCRATCH_REGISTRY=127.0.0.1:5000
GOSCRATCH_BUILDER=goscratch
BUILDX_BUILDER=$GOSCRATCH_BUILDER
BUILDKIT_HOST=unix://$GOSCRATCH_ENV/buildkitd.sock
case ":$PATH:" in
*":$GOSCRATCH_CACHE/bin:"*) ;;
*) PATH=$GOSCRATCH_CACHE/bin:$PATH ;;
esac
export GOSCRATCH_CACHE GOSCRATCH_ENV GOSCRATCH_REGISTRY GOSCRATCH_BUILDER BUILDX_BUILDER BUILDKIT_HOST PATH

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	for _v in GOSCRATCH_CACHE GOSCRATCH_ENV GOSCRATCH_REGISTRY GOSCRATCH_BUILDER BUILDX_BUILDER BUILDKIT_HOST PATH; do
		printf 'export %s=%q\n' "$_v" "${!_v}"
	done
fi
