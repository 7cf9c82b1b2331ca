#!/bin/sh
# Entry point of the image. With MIGRATE_ON_START=yes the container runs the pending
# migrations before its command (handy for a single-container setup); the compose file
# runs them once, in its own one-shot service, instead.
set -e
if [ "${MIGRATE_ON_START:-no}" = "yes" ]; then
  node dist/src/cli/migrate.js
fi
exec "$@"
