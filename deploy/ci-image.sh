#!/usr/bin/env bash
# CI phase: build the container image from the Dockerfile and run it as the Helm chart runs it.
#
#   deploy/ci-image.sh          (as root; .ci/run calls it after the test phases)
#
# 1. The base: Debian bookworm made by debootstrap (no registry needed), imported into
#    podman's storage as localhost/dinsos-base:bookworm. The root filesystem is kept under
#    /var/cache/dinsos-ci when that folder exists (CI runs on this same machine), so the
#    80 s debootstrap runs once; the image is imported again only when it is missing.
# 2. The image: `buildah bud` on the Dockerfile with that base; its size is printed.
# 3. tests/deploy/smoke_image.py runs the migration job, the web, a worker and the beat
#    from the image with the rendered chart's commands and environment, as uid 10001 with
#    nothing writable but /tmp, against this machine's PostgreSQL and Redis, and smoke-tests
#    it from outside (time to start printed). `podman run` hangs in this sandbox, so nothing
#    here needs it: buildah (--isolation chroot) builds, unshare + chroot run.
set -euo pipefail
cd "$(dirname "$0")/.."

STORAGE=(--storage-driver vfs)
BASE=localhost/dinsos-base:bookworm
IMAGE=localhost/dinsos:ci
# What the Dockerfile's FROM needs of a python:3.11-slim-bookworm stand-in.
PACKAGES=python3,python3-venv,python3-pip,python-is-python3,ca-certificates
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
CACHE=/var/cache/dinsos-ci

seconds() { echo $(( $(date +%s) - $1 )); }

missing=()
for tool in debootstrap:debootstrap buildah:buildah podman:podman unshare:util-linux nsenter:util-linux; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool#*:}")
done
if ((${#missing[@]})); then
  echo "== apt-get install ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "== base image $BASE (debootstrap bookworm: $PACKAGES)"
start=$(date +%s)
if [ -d "$CACHE" ]; then rootfs=$CACHE/rootfs; else rootfs=$(mktemp -d /tmp/dinsos-rootfs.XXXXXX); fi
# The stamp names what the cached root filesystem and the imported base were made from.
stamp="$PACKAGES $MIRROR"
fresh=0
if [ "$(cat "$rootfs.stamp" 2>/dev/null)" != "$stamp" ] || [ ! -x "$rootfs/usr/bin/python3" ]; then
  rm -rf "$rootfs" "$rootfs.stamp" && mkdir -p "$rootfs"
  debootstrap --variant=minbase --include="$PACKAGES" bookworm "$rootfs" "$MIRROR" >/dev/null
  fresh=1
fi
if [ "$fresh" = 1 ] || ! podman "${STORAGE[@]}" image exists "$BASE"; then
  # pip in the build reaches the package index through this machine's CA bundle (a proxy may sign it).
  cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
  tar -C "$rootfs" -c . | podman "${STORAGE[@]}" import --quiet - "$BASE" >/dev/null
fi
if [ "$rootfs" = "$CACHE/rootfs" ]; then echo "$stamp" > "$rootfs.stamp"; else rm -rf "$rootfs"; fi
echo "base ready in $(seconds "$start") s"

echo "== buildah bud -t $IMAGE"
start=$(date +%s)
buildah "${STORAGE[@]}" bud --quiet --isolation chroot --network host --pull-never \
  --build-arg PYTHON_IMAGE="$BASE" -t "$IMAGE" . >/dev/null
# The image this build replaced is left untagged: drop it, or every run keeps ~700 MB more.
buildah "${STORAGE[@]}" rmi --prune >/dev/null 2>&1 || true
size=$(podman "${STORAGE[@]}" image inspect --format '{{.Size}}' "$IMAGE")
echo "image built in $(seconds "$start") s; size $((size / 1000000)) MB ($size bytes)"

echo "== smoke test: the image run as the chart runs it"
.venv/bin/python tests/deploy/smoke_image.py "$IMAGE"
