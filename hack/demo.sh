#!/usr/bin/env bash
# The README's main job (make demo): bring the local BuildKit + registry up,
# build and push the frontend image, build examples/hello for linux/amd64 and
# linux/arm64 with `docker buildx build` through its `# syntax=` line, run the
# image on both platforms, and print where it is.
# KEEP_ENV=1 leaves the environment up afterwards (stop it with make env-down).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"
t0=$(now)

"$HACK_DIR/install.sh"
lab_up_for_this_run
"$HACK_DIR/golang-image.sh"
"$HACK_DIR/frontend-image.sh" >/dev/null

ref=$GOSCRATCH_REGISTRY/goscratch/hello:demo
log "docker buildx build examples/hello (syntax: $(head -1 examples/hello/goscratch.yaml))"
t1=$(now)
docker buildx build --builder "$GOSCRATCH_BUILDER" --progress plain \
	-f examples/hello/goscratch.yaml --platform linux/amd64,linux/arm64 \
	-t "$ref" --push examples/hello 2>&1 | tee "$GOSCRATCH_ENV/demo-build.log" | grep -E '^#[0-9]+ \[|DONE|ERROR|error' | grep -v '^#[0-9]* \[internal\]' || true
[ "${PIPESTATUS[0]}" = 0 ] || die "build failed; see $GOSCRATCH_ENV/demo-build.log"
log "built in $(since "$t1")"

log "the image index:"
skopeo inspect --tls-verify=false --raw "docker://$ref" |
	jq -r '.manifests[] | "  \(.platform.os)/\(.platform.architecture)\(if .platform.variant then "/"+.platform.variant else "" end)  \(.digest)  \(.size) bytes"'

log "running the image in BuildKit (amd64 natively, arm64 under qemu-user):"
for platform in linux/amd64 linux/arm64; do
	printf 'FROM %s\nRUN ["/usr/local/bin/hello", "-selfcheck"]\n' "$ref" |
		docker buildx build --builder "$GOSCRATCH_BUILDER" --progress plain --no-cache \
			--platform "$platform" -f - "$(mktemp -d)" 2>&1 |
		grep -E 'uid=|zoneinfo:|certs:|hello from|ERROR' | sed "s|^#[0-9]* [0-9.]* |  $platform: |"
done

log "done in $(since "$t0"): image $ref (registry $GOSCRATCH_REGISTRY, data in $GOSCRATCH_ENV)"
log "inspect: skopeo inspect --tls-verify=false --raw docker://$ref"
