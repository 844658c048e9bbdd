#!/usr/bin/env bash
# make test-compat: the core integration tests on each older BuildKit of
# BUILDKIT_COMPAT_VERSIONS (hack/versions.env; docs/compat.md). Each version's
# buildkitd is built from the Go module proxy once (hack/install.sh compat),
# started as a node of the lab (same registry and config as the lab's daemon)
# with a buildx builder of its own, tested, and stopped.
set -euo pipefail
# shellcheck source=hack/lib.sh
. "$(dirname "$0")/lib.sh"
# GOSCRATCH_COMPAT_VERSIONS=v0.12.5 make test-compat: just that one
IFS=, read -r -a versions <<<"${GOSCRATCH_COMPAT_VERSIONS:-$BUILDKIT_COMPAT_VERSIONS}"
cd "$REPO_ROOT"
t0=$(now)

# The tests that make a release usable on an older daemon: multi-platform
# buildx, named context, cache export/import, SBOM and provenance, errors at
# the spec line, buildctl, reproducibility, and the same digests as the lab's.
CORE='^(TestBuildxMultiPlatform|TestDigestsDoNotDependOnBuildKitVersion|TestBuildContextReplacesBuilder|TestSourceEditKeepsDownloadAndBuildCache|TestEphemeralRunnerReusesModulesAndDependencies|TestSBOMFromBuildInfo|TestProvenanceRecordsBuildArgs|TestSpecErrorCarriesSourceLine|TestCompileErrorPointsAtMain|TestBuildctlGateway|TestReproducibleDigests)$'

"$HACK_DIR/install.sh" compat "${versions[@]}" "$BUILDKIT_TOO_OLD_VERSION"
"$HACK_DIR/install.sh"
lab_up_for_this_run
"$HACK_DIR/golang-image.sh"
GOSCRATCH_FRONTEND=$("$HACK_DIR/frontend-image.sh")
export GOSCRATCH_FRONTEND GOSCRATCH_REFERENCE_BUILDER=$GOSCRATCH_BUILDER

status=0
results=()
# run_on VERSION TESTS [VAR=VALUE...]: TESTS on a node of BuildKit VERSION
run_on() {
	local v=$1 tests=$2 node builder logf s
	shift 2
	node=compat-${v//./_}
	builder=$GOSCRATCH_BUILDER-$node
	logf=${TMPDIR:-/tmp}/goscratch-compat-$v.log
	log "BuildKit $v: node $node, builder $builder"
	lab up -nodes "$node=linux/amd64+linux/arm64+linux/arm/v7" -builder "$builder" \
		-buildkitd "$GOSCRATCH_BIN/compat/$v/buildkitd"
	set +e
	env "$@" BUILDKIT_HOST="unix://$GOSCRATCH_ENV/nodes/$node/buildkitd.sock" GOSCRATCH_BUILDER="$builder" \
		go test -count=1 -timeout 60m -v -run "$tests" ./integration/ 2>&1 | tee "$logf"
	s=${PIPESTATUS[0]}
	set -e
	lab down -purge -nodes "$node=linux/amd64+linux/arm64+linux/arm/v7" -builder "$builder"
	# grep -c exits 1 on a count of 0
	results+=("$v: $(grep -c '^--- PASS' "$logf" || true) passed, $(grep -c '^--- FAIL' "$logf" || true) failed")
	[ "$s" = 0 ] || status=$s
}
for v in "${versions[@]}"; do
	run_on "$v" "$CORE"
done
# a daemon older than the oldest supported gets the upgrade error
run_on "$BUILDKIT_TOO_OLD_VERSION" '^TestTooOldBuildKitIsRefused$' GOSCRATCH_TOO_OLD_BUILDKIT="$BUILDKIT_TOO_OLD_VERSION"
log "compat: ${results[*]} ($(since "$t0"))"
exit "$status"
