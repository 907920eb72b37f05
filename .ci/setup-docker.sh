#!/usr/bin/env bash
# Makes a Docker daemon answer on this machine, for the tests that start containers.
#
# CI machines of this project start without Docker and without systemd. This script
#   1. installs Debian's docker.io (and debootstrap, used by images/build-images.sh) when missing,
#   2. starts dockerd in the background when no daemon answers, and waits until `docker info` works.
# It is idempotent: on a machine where Docker already runs it only checks and returns.
# Needs root (apt-get, dockerd). Nothing here is needed on a developer machine that has Docker.
set -euo pipefail

log() { printf '[setup-docker] %s\n' "$*"; }
export DEBIAN_FRONTEND=noninteractive

need=()
command -v dockerd     >/dev/null 2>&1 || need+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]} with apt-get"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 "${need[@]}" >/dev/null
fi

if docker info >/dev/null 2>&1; then
  log "a Docker daemon already answers"
  exit 0
fi

log "starting dockerd (log: /var/log/dockerd.log)"
# setsid: dockerd must outlive this script and not get the terminal's signals.
setsid dockerd >/var/log/dockerd.log 2>&1 </dev/null &
for _ in $(seq 1 300); do
  docker info >/dev/null 2>&1 && break
  sleep 0.2
done
if ! docker info >/dev/null 2>&1; then
  log "dockerd did not answer within 60 s; last lines of its log:"
  tail -n 30 /var/log/dockerd.log >&2 || true
  exit 1
fi
log "dockerd is up ($(docker version --format '{{.Server.Version}}'))"
