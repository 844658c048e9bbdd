#!/usr/bin/env bash
# Stop the goscratch lab started by hack/env-up.sh, each daemon by its pid file (buildkitd
# and any nodes first, then the registry), and unmount what buildkitd left under its root.
# Data stays for the next env-up; --purge deletes ${GOSCRATCH_ENV:-$HOME/.cache/goscratch/env}.
#   hack/env-down.sh -nodes amd64,arm64 [-builder goscratch-multi]   only those nodes
# The work is internal/lab (cmd/goscratch-lab down).
exec go -C "$(dirname "${BASH_SOURCE[0]}")/.." run ./cmd/goscratch-lab down "$@"
