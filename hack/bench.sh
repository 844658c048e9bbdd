#!/usr/bin/env bash
# The benchmark (issue #8): make bench / make bench-full / make bench BENCH_FLAGS=...
# Installs ko (pinned in hack/versions.env), starts or reuses the lab's registry, makes
# the golang builder image and builds the frontend image under its own tag
# (goscratch/goscratch:bench, so the shared :v1 never moves), then runs bench/ (its
# own Go module), which starts and owns its own buildkitd under
# ${GOSCRATCH_CACHE:-~/.cache/goscratch}/bench and never touches the lab's daemon.
# Arguments go to `bench run` (e.g. -subjects hello -scenarios change -platforms 2
# -runs 1 -warmup 0); GOSCRATCH_FRONTEND=name@digest skips the frontend image build.
# Writes docs/benchmarks.json and regenerates docs/benchmarks.md's table and
# docs/benchmarks.png.
set -euo pipefail
# shellcheck source=hack/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

GOSCRATCH_INSTALL_KO=1 "$HACK_DIR/install.sh"
lab_up_for_this_run
"$HACK_DIR/golang-image.sh"
if [ -z "${GOSCRATCH_FRONTEND:-}" ]; then
	GOSCRATCH_FRONTEND=$(GOSCRATCH_FRONTEND_TAG=bench "$HACK_DIR/frontend-image.sh")
fi
export GOSCRATCH_FRONTEND
cd "$REPO_ROOT/bench"
go build -o "$GOSCRATCH_CACHE/bin/goscratch-bench" .
"$GOSCRATCH_CACHE/bin/goscratch-bench" run -repo "$REPO_ROOT" "$@"
