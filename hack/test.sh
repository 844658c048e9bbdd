#!/usr/bin/env bash
# The README's test command (make test): unit tests, then the integration
# suite against a real buildkitd, registry and docker buildx. Installs and
# starts what is missing and stops what it started, by pid.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"
t0=$(now)

log "unit tests (both Go modules) and lint"
go vet ./...
go test -short -count=1 ./... 2>&1 | tee "${TMPDIR:-/tmp}/goscratch-unit.log"
(cd bench && go vet ./... && go test -short -count=1 ./...)
"$HACK_DIR/install.sh" # installs what make lint needs too
make --no-print-directory lint

# A short fuzz run of the spec parser and of the whole parse -> convert
# pipeline (the long run: docs/guarantees.md). A crasher is written to
# spec/testdata/fuzz or llb/testdata/fuzz and fails the run.
# The budget is a count of executions (about 30 s each on the 2-core lab
# machine), not a duration: a duration -fuzztime can fail with "context
# deadline exceeded" and no crasher when it expires while a worker is busy,
# a race in Go's fuzz coordinator (golang/go#75804, still in go1.26.8).
# Minimizing a new interesting input pauses fuzzing for up to
# -fuzzminimizetime (60 s by default, all of it on FuzzConvert): 5 s keeps
# the budget for fuzzing. -timeout bounds a run whose input hangs.
# FUZZTIME=2m overrides all three counts.
fuzz() { # target package executions
	go test -run '^$' -fuzz "^$1\$" -fuzztime "${FUZZTIME:-$3}" -fuzzminimizetime 5s -timeout 10m "$2"
}
log "fuzzing (FuzzParse, FuzzTemplate and FuzzConvert, ${FUZZTIME:-about 30 s} each)"
fuzz FuzzParse ./spec 250000x
fuzz FuzzTemplate ./spec 500000x
fuzz FuzzConvert ./llb 120000x

lab_up_for_this_run
"$HACK_DIR/golang-image.sh"
"$HACK_DIR/golang-bookworm-image.sh" # gcc, for the cgo static-check test
GOSCRATCH_FRONTEND=$("$HACK_DIR/frontend-image.sh")
export GOSCRATCH_FRONTEND

log "integration tests (frontend $GOSCRATCH_FRONTEND)"
set +e
go test -count=1 -timeout 60m -v ./integration/ 2>&1 | tee "${TMPDIR:-/tmp}/goscratch-integration.log"
status=${PIPESTATUS[0]}
set -e
log "tests took $(since "$t0")"
exit "$status"
