#!/bin/sh
# The image's roles (see the Dockerfile). exec: the role's process gets the signals.
set -e
role="${1:-web}"
[ "$#" -gt 0 ] && shift
case "$role" in
  web)
    cd /app/apps/web
    exec node /app/node_modules/next/dist/bin/next start --hostname 0.0.0.0 --port "${PORT:-3000}" "$@"
    ;;
  worker)
    exec node /app/apps/worker/dist/main.mjs "$@"
    ;;
  migrate)
    exec node --import tsx /app/scripts/migrate.ts "$@"
    ;;
  *)
    # Anything else runs as given, e.g. `docker run IMAGE node --version`.
    exec "$role" "$@"
    ;;
esac
