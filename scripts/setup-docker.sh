#!/usr/bin/env bash
# Prepare a Docker engine and the offline test/example image for asl-workbench.
# Idempotent: every step is skipped when already done.
#   1. docker.io + busybox-static via apt when missing (needs root)
#   2. dockerd started in the background when not running (log: $ASL_DOCKERD_LOG), waits for `docker info`
#   3. image asl-workbench/busybox:latest built by `docker import` of a busybox-static rootfs
#      (no Dockerfile, no registry: works offline)
# Usage: bash scripts/setup-docker.sh [--quiet] [--image-only]
#   --image-only  only step 3, and only when an engine already answers: never installs or starts
#                 anything; exits 0 quietly when no engine is reachable (scripts/main.sh uses it)
# Exit: 0 ready, 1 cannot prepare (message on stderr says why and what to do).
set -euo pipefail

IMAGE="${ASL_BUSYBOX_IMAGE:-asl-workbench/busybox:latest}"
LOG="${ASL_DOCKERD_LOG:-/tmp/asl-workbench-dockerd.log}"
DEADLINE="${ASL_DOCKERD_DEADLINE:-60}"
QUIET=0
IMAGE_ONLY=0
for arg in "$@"; do
  case "$arg" in
    --quiet) QUIET=1 ;;
    --image-only) IMAGE_ONLY=1 ;;
    *) echo "setup-docker: unknown option $arg (usage: bash scripts/setup-docker.sh [--quiet] [--image-only])" >&2; exit 2 ;;
  esac
done

say() { [ "$QUIET" = 1 ] || echo "setup-docker: $*"; }
die() { echo "setup-docker: $*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }
# a static busybox runs inside an empty rootfs; a dynamic one would not
find_static_busybox() {
  for b in /bin/busybox /usr/bin/busybox; do
    if [ -x "$b" ] && { ldd "$b" 2>&1 || true; } | grep -q 'not a dynamic'; then echo "$b"; return; fi
  done
}

apt_install() {
  is_root || die "$1 is missing and installing it needs root: run 'sudo bash scripts/setup-docker.sh' (or install $2 yourself)"
  say "installing $2 with apt"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "$2" >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 || true; apt-get install -y -q "$2" >/dev/null; } \
    || die "apt-get install $2 failed"
}

if [ "$IMAGE_ONLY" = 1 ]; then
  # no engine (or no docker CLI): nothing to do, and nothing is installed or started
  command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 || exit 0
  docker image inspect "$IMAGE" >/dev/null 2>&1 && exit 0
  if [ -z "$(find_static_busybox)" ]; then
    echo "setup-docker: cannot build $IMAGE: busybox-static is not installed (run 'sudo bash scripts/setup-docker.sh')" >&2
    exit 0
  fi
fi

# 1. packages
command -v docker >/dev/null 2>&1 || apt_install docker docker.io
BUSYBOX=$(find_static_busybox)
if [ -z "$BUSYBOX" ] && ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
  apt_install busybox-static busybox-static
  BUSYBOX=/bin/busybox
fi

# 2. engine
if ! docker info >/dev/null 2>&1; then
  if [ -n "${DOCKER_HOST:-}" ]; then
    die "DOCKER_HOST=$DOCKER_HOST does not answer; start that engine or unset DOCKER_HOST"
  fi
  is_root || die "no Docker engine is running and starting one needs root: run 'sudo bash scripts/setup-docker.sh', 'sudo systemctl start docker', or point DOCKER_HOST at an engine"
  command -v dockerd >/dev/null 2>&1 || die "dockerd not found (is docker.io installed?)"
  say "starting dockerd (log: $LOG)"
  if command -v systemctl >/dev/null 2>&1 && systemctl start docker >/dev/null 2>&1; then :; else
    nohup dockerd >"$LOG" 2>&1 &
  fi
  end=$(( $(date +%s) + DEADLINE ))
  until docker info >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$end" ] || die "dockerd did not answer within ${DEADLINE}s; see $LOG"
    sleep 0.5
  done
  say "dockerd is up"
fi

# 3. image
if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  say "image $IMAGE present"
  exit 0
fi
[ -n "$BUSYBOX" ] || BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] || die "busybox-static not found at $BUSYBOX"
ROOTFS=$(mktemp -d)
trap 'rm -rf "$ROOTFS"' EXIT
mkdir -p "$ROOTFS/bin" "$ROOTFS/tmp" "$ROOTFS/etc" "$ROOTFS/root"
cp "$BUSYBOX" "$ROOTFS/bin/busybox"
for applet in $("$ROOTFS/bin/busybox" --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$ROOTFS/bin/$applet"
done
chmod 1777 "$ROOTFS/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$ROOTFS/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$ROOTFS/etc/group"
tar -C "$ROOTFS" -c . | docker import \
  --change 'ENV PATH=/bin' --change 'CMD ["sh"]' \
  --message 'asl-workbench busybox-static (scripts/setup-docker.sh)' - "$IMAGE" >/dev/null
say "built $IMAGE"
