#!/usr/bin/env bash
# Start (or reuse) the goscratch lab: a registry on 127.0.0.1:5000 and a buildkitd (OCI
# worker on runc, host network, docker.io and ghcr.io mirrored to the local registry, a
# dead egress proxy) with all state in ${GOSCRATCH_ENV:-$HOME/.cache/goscratch/env}, plus
# the docker buildx remote builder "goscratch" on its socket. Idempotent: healthy services
# are reused, stale or half-dead ones replaced. Needs hack/install.sh first.
#   hack/env-up.sh -nodes amd64,arm64 [-builder goscratch-multi]
# also starts a buildkitd per node (worker platforms linux/amd64, linux/arm64) and one
# buildx builder with a node on each. The work is internal/lab (cmd/goscratch-lab up).
exec go -C "$(dirname "${BASH_SOURCE[0]}")/.." run ./cmd/goscratch-lab up "$@"
