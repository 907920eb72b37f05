#!/usr/bin/env bash
# Builds LOCAL STAND-INS for the public Docker images that chaos-junit's tests start, for CI only.
#
# Our CI machines cannot reach any container registry, so Testcontainers could not pull
# postgres:15, redis:7 or testcontainers/sshd:1.3.0. This script builds images that behave the same
# for our tests from Debian bookworm packages (PostgreSQL 15, Redis 7.0, OpenSSH, busybox), on a
# rootfs made with debootstrap, and tags them with the official names. Testcontainers' default pull
# policy only pulls images that are missing, so it then uses these unchanged.
#
# On a normal machine (a developer's, GitHub Actions) do NOT run this: Testcontainers pulls the
# real images. The stand-ins are not the official images and are never pushed anywhere.
#
# Idempotent: an image is rebuilt only when missing or when its recipe (the files in its folder)
# changed; with all images present it takes a fraction of a second. FORCE=1 rebuilds everything.
# Needs root, docker (see ../setup-docker.sh) and debootstrap.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-${TMPDIR:-/tmp}/chaos-junit-ci-images}
BASE=chaos-junit-ci/bookworm-base:latest
# Packages of the base rootfs; every stand-in is built FROM it.
BASE_PACKAGES="postgresql-15 redis-server locales openssh-server busybox-static"
# image tag -> folder under .ci/images (extra tags are added below)
IMAGES=("postgres:15=postgres" "redis:7=redis" "testcontainers/sshd:1.3.0=sshd" "alpine:3.17=alpine")

t0=$(date +%s.%N)
log() { awk -v a="$t0" -v b="$(date +%s.%N)" -v m="$*" 'BEGIN { printf "[build-images %5.1fs] %s\n", b - a, m }'; }
export DEBIAN_FRONTEND=noninteractive

recipe_of() { (cd "$HERE/$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16); }
label_of() { docker image inspect --format '{{ index .Config.Labels "dev.chaosjunit.ci.recipe" }}' "$1" 2>/dev/null || true; }

# ---- what is missing or stale -----------------------------------------------------------------
base_recipe=$(printf '%s' "$BASE_PACKAGES" | sha256sum | cut -c1-16)
todo=()
for entry in "${IMAGES[@]}"; do
  tag=${entry%%=*}; dir=${entry#*=}
  if [ "${FORCE:-0}" = 1 ] || [ "$(label_of "$tag")" != "$(recipe_of "$dir")-$base_recipe" ]; then
    todo+=("$entry")
  fi
done
if [ ${#todo[@]} -eq 0 ]; then
  log "all stand-in images present and up to date"
  exit 0
fi
log "to build: ${todo[*]%%=*}"

# ---- base image: a minimal Debian bookworm rootfs with the packages above ----------------------
if [ "${FORCE:-0}" = 1 ] || [ "$(label_of "$BASE")" != "$base_recipe" ]; then
  # the Debian mirror this machine's apt already uses
  MIRROR=${MIRROR:-$(sed -n -E 's/^URIs: *([^ ]+).*/\1/p; s/^deb +(\[[^]]*\] +)?([^ ]+).*/\2/p' \
    /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | head -n 1 || true)}
  MIRROR=${MIRROR:-http://deb.debian.org/debian}
  R=$WORK/rootfs
  mkdir -p "$WORK"
  umount "$R/proc" 2>/dev/null || true
  rm -rf "$R"; mkdir -p "$R"
  log "debootstrap bookworm from $MIRROR"
  if ! debootstrap --variant=minbase bookworm "$R" "$MIRROR" >"$WORK/debootstrap.log" 2>&1; then
    tail -n 30 "$WORK/debootstrap.log" >&2; exit 1
  fi
  log "installing $BASE_PACKAGES in the rootfs"
  # no services started at install, no default PostgreSQL cluster, no docs or recommends
  printf '#!/bin/sh\nexit 101\n' >"$R/usr/sbin/policy-rc.d"; chmod 755 "$R/usr/sbin/policy-rc.d"
  mkdir -p "$R/etc/postgresql-common"
  echo 'create_main_cluster = false' >"$R/etc/postgresql-common/createcluster.conf"
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\nAcquire::Languages "none";\n' \
    >"$R/etc/apt/apt.conf.d/90chaos-junit-ci"
  printf 'path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/info/*\n' \
    >"$R/etc/dpkg/dpkg.cfg.d/90chaos-junit-ci-nodoc"
  mount -t proc proc "$R/proc"
  trap 'umount "$R/proc" 2>/dev/null || true' EXIT
  chroot "$R" /bin/sh -c "apt-get update -qq && apt-get install -y -qq $BASE_PACKAGES >/dev/null \
    && apt-get clean && rm -rf /var/lib/apt/lists/*"
  chroot "$R" localedef -i en_US -c -f UTF-8 -A /usr/share/locale/locale.alias en_US.UTF-8
  umount "$R/proc"; trap - EXIT
  log "importing the rootfs as $BASE"
  tar -C "$R" --numeric-owner -c . \
    | docker import --change "LABEL dev.chaosjunit.ci.recipe=$base_recipe" - "$BASE" >/dev/null
  # busybox for the alpine stand-in
  cp "$R/bin/busybox" "$WORK/busybox"
  rm -rf "$R"
fi

# ---- the stand-ins, tagged with the official names ---------------------------------------------
for entry in "${todo[@]}"; do
  tag=${entry%%=*}; dir=${entry#*=}
  ctx=$WORK/ctx-$dir
  rm -rf "$ctx"; cp -r "$HERE/$dir" "$ctx"
  if [ "$dir" = alpine ]; then
    if [ ! -f "$WORK/busybox" ]; then
      docker run --rm --entrypoint cat "$BASE" /bin/busybox >"$WORK/busybox"
    fi
    cp "$WORK/busybox" "$ctx/busybox"; chmod 755 "$ctx/busybox"
  fi
  log "building $tag"
  DOCKER_BUILDKIT=0 docker build -q --label "dev.chaosjunit.ci.recipe=$(recipe_of "$dir")-$base_recipe" \
    -t "$tag" "$ctx" >"$WORK/build-$dir.log" 2>&1 || { cat "$WORK/build-$dir.log" >&2; exit 1; }
  rm -rf "$ctx"
done

docker images --format '{{.Repository}}:{{.Tag}}  {{.Size}}' | grep -E '^(postgres|redis|testcontainers/|alpine|chaos-junit-ci/)' | sort
log "done"
