#!/usr/bin/env bash
# The main job on the embedded default: installs the system packages if missing, builds a
# release binary, and writes a risk report for Mali from the embedded sample of real incidents
# into ./reports/<as-of>/ (./reports/latest points at it).
# Extra arguments go to `regionrisk report`, e.g.  scripts/quickstart.sh --as-of 2025-07-08
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
swift build -c release --product regionrisk
set +e
.build/release/regionrisk report --out reports "$@"
status=$?
set -e
# 3 means "done, and new regions appeared since the previous run": a result, not a failure.
if [[ $status -ne 0 && $status -ne 3 ]]; then exit $status; fi
echo "report: $(pwd)/reports/latest/report.html"
