#!/usr/bin/env bash
# Build the goscratch frontend image from the repo's Dockerfile with BuildKit's
# built-in Dockerfile frontend, for linux/amd64 and linux/arm64, and push it to
# the local registry as goscratch/goscratch:v1 (GOSCRATCH_FRONTEND_TAG=bench
# pushes goscratch/goscratch:bench instead, so several checkouts sharing one lab
# do not overwrite each other's frontend). Because buildkitd mirrors
# ghcr.io to the local registry, `# syntax=ghcr.io/goscratch/goscratch:v1`
# in a spec then resolves to the v1 build.
# Prints the pinned reference (name@digest) on stdout and writes it to
# $GOSCRATCH_ENV/frontend.ref (frontend-TAG.ref with GOSCRATCH_FRONTEND_TAG).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_env

name=$GOSCRATCH_REGISTRY/goscratch/goscratch:${GOSCRATCH_FRONTEND_TAG:-v1}
sfx=${GOSCRATCH_FRONTEND_TAG:+-$GOSCRATCH_FRONTEND_TAG}
meta=$GOSCRATCH_ENV/frontend$sfx-metadata.json
t0=$(now)
log "building the frontend image $name (linux/amd64, linux/arm64)"
run_logged "$GOSCRATCH_ENV/frontend$sfx-build.log" \
	buildctl build --frontend dockerfile.v0 \
	--local context="$REPO_ROOT" --local dockerfile="$REPO_ROOT" \
	--opt platform=linux/amd64,linux/arm64 \
	--output "type=image,name=$name,push=true" \
	--metadata-file "$meta"
digest=$(jq -r '."containerimage.digest"' "$meta")
ref=$GOSCRATCH_REGISTRY/goscratch/goscratch@$digest
echo "$ref" >"$GOSCRATCH_ENV/frontend$sfx.ref"

# size of the linux/amd64 image: config + layers, compressed, as pulled
amd64=$(skopeo inspect --tls-verify=false --raw "docker://$ref" |
	jq -r '.manifests[] | select(.platform.architecture == "amd64") | .digest')
size=$(skopeo inspect --tls-verify=false --raw "docker://$GOSCRATCH_REGISTRY/goscratch/goscratch@$amd64" |
	jq '[.config.size] + [.layers[].size] | add')
log "frontend image $ref ($(awk -v b="$size" 'BEGIN{printf "%.1f MB", b/1e6}') for linux/amd64) in $(since "$t0")"
echo "$ref"
