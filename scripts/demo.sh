#!/usr/bin/env bash
# Installs and builds if needed (scripts/setup.sh), then runs the demo: a throwaway MariaDB, the
# mysql-cdc daemon following its binlog, and a few inserts/updates/deletes streaming out as JSON.
#   scripts/demo.sh            events on stdout
#   scripts/demo.sh --kafka    events into a topic of a local Kafka-protocol test broker, read
#                              back with kcat
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export BUILD_DIR=${BUILD_DIR:-$root/build}
if [[ ! -x $BUILD_DIR/src/mysql-cdc ]]; then
  echo "== first run: installing packages and building (a few minutes on 2 cores)"
  "$root/scripts/setup.sh"
else
  mkdir -p "$BUILD_DIR"
  "$root/scripts/setup.sh" >"$BUILD_DIR/setup.log" 2>&1 || {
    cat "$BUILD_DIR/setup.log" >&2
    echo "error: set-up failed (log above, also in $BUILD_DIR/setup.log)" >&2
    exit 1
  }
fi
if [[ ${1:-} == --kafka ]]; then
  exec python3 "$root/scripts/demo.py" --mysql-cdc "$BUILD_DIR/src/mysql-cdc" \
    --kafka "$BUILD_DIR/tests/support/kafka_test_broker"
fi
exec python3 "$root/scripts/demo.py" --mysql-cdc "$BUILD_DIR/src/mysql-cdc"
