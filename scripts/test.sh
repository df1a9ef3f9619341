#!/usr/bin/env bash
# The test command: installs what the tests need if missing, then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --with-test-tools
swift test "$@"
