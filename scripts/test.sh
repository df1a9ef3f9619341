#!/usr/bin/env bash
# The test command: installs what the tests need if missing, starts a throwaway PostgreSQL +
# PostGIS cluster for the store tests (stopped again on exit), then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --with-test-tools
if [[ -z "${REGIONRISK_TEST_PG:-}" ]]; then
  trap 'scripts/pg-cluster.sh stop' EXIT
  if line=$(scripts/pg-cluster.sh start | grep '^REGIONRISK_TEST_PG='); then
    export REGIONRISK_TEST_PG=${line#REGIONRISK_TEST_PG=}
  else
    echo "test: PostgreSQL could not be started; the PostgreSQL store tests will skip" >&2
  fi
fi
swift test "$@"
