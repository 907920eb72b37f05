#!/bin/sh
# CI-only stand-in for the entrypoint of the official redis image, on Debian bookworm's Redis 7.0.
# "docker run redis:7 --appendonly yes" and "docker run redis:7 /path/redis.conf" start the
# server with those arguments; any other command (redis-cli ..., sh -c ...) runs as given.
set -e
case "$1" in -*|*.conf) set -- redis-server "$@" ;; esac

if [ "$1" != redis-server ]; then
  exec "$@"
fi
shift
# The official image's server runs with protected mode off (reachable from other containers);
# a config file, when given, must stay the first argument.
case "${1:-}" in
  ""|-*) set -- --protected-mode no "$@" ;;
  *)     conf=$1; shift; set -- "$conf" --protected-mode no "$@" ;;
esac
if [ "$(id -u)" = 0 ]; then
  chown -R redis:redis /data 2>/dev/null || true
  exec setpriv --reuid=redis --regid=redis --init-groups /usr/bin/redis-server "$@"
fi
exec /usr/bin/redis-server "$@"
