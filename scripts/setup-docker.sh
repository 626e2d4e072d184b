#!/usr/bin/env bash
# Prepare a Docker engine and the offline test/example image for asl-workbench.
# Idempotent: every step is skipped when already done.
#   1. docker.io via apt when no engine answers and `dockerd` is missing; busybox-static via apt
#      when no static busybox exists and the image is missing (installing needs root)
#   2. dockerd started (systemd, else in the background; log: $ASL_DOCKERD_LOG) when no engine
#      answers, then waits for `docker info`
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
have() { command -v "$1" >/dev/null 2>&1; }
# `docker info` fails both without a client and without an engine behind it
engine_answers() { have docker && docker info >/dev/null 2>&1; }
image_present() { docker image inspect "$IMAGE" >/dev/null 2>&1; }
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
  engine_answers || exit 0
  image_present && exit 0
  BUSYBOX=$(find_static_busybox)
  if [ -z "$BUSYBOX" ]; then
    echo "setup-docker: cannot build $IMAGE: busybox-static is not installed (run 'sudo bash scripts/setup-docker.sh')" >&2
    exit 0
  fi
else
  # 1. packages. Machines of this kind ship a docker *client* without an engine, so the client
  # on PATH proves nothing: an engine that answers, or dockerd to start one, is what counts.
  if ! engine_answers; then
    [ -z "${DOCKER_HOST:-}" ] || die "DOCKER_HOST=$DOCKER_HOST does not answer; start that engine or unset DOCKER_HOST"
    have dockerd || apt_install dockerd docker.io
  fi
  have docker || apt_install docker docker.io
  BUSYBOX=$(find_static_busybox)
  if [ -z "$BUSYBOX" ] && ! image_present; then
    apt_install busybox-static busybox-static
    BUSYBOX=$(find_static_busybox)
  fi

  # 2. engine
  if ! engine_answers; then
    is_root || die "no Docker engine is running and starting one needs root: run 'sudo bash scripts/setup-docker.sh', 'sudo systemctl start docker', or point DOCKER_HOST at an engine"
    say "starting dockerd (log: $LOG)"
    # without systemd as init (containers, WSL) systemctl fails and dockerd runs in the background
    if have systemctl && systemctl start docker >/dev/null 2>&1; then :; else
      nohup dockerd >"$LOG" 2>&1 &
    fi
    end=$(( $(date +%s) + DEADLINE ))
    until docker info >/dev/null 2>&1; do
      [ "$(date +%s)" -lt "$end" ] || die "dockerd did not answer within ${DEADLINE}s; see $LOG"
      sleep 0.5
    done
    say "dockerd is up"
  fi
fi

# 3. image
if image_present; then
  say "image $IMAGE present"
  exit 0
fi
[ -n "$BUSYBOX" ] || die "no static busybox found (/bin/busybox or /usr/bin/busybox from busybox-static)"
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
