#!/usr/bin/env bash
# Renders a RegionRisk HTML report in headless Chromium and saves a screenshot, to check the
# report as a person sees it (map, legend, tables) — with the network blocked, so a report
# that needed anything from the web would show it.
#
#   scripts/check-report-in-browser.sh REPORT.html OUT.png
#
# Chromium is installed with apt-get when missing and possible. When it cannot be had and
# SKIP_IF_NO_CHROMIUM=1, the script prints "skipped: chromium not installed" and exits 0 (CI).
# Environment: WINDOW_SIZE (default 1400,1800), CHROMIUM (path to the browser binary).
# Exit status: 0 screenshot taken and checked (or skipped), 1 failure, 64 usage.
set -euo pipefail

usage() { echo "usage: $0 REPORT.html OUT.png" >&2; exit 64; }
[[ $# -eq 2 ]] || usage
report=$1
out=$2
[[ -f $report ]] || { echo "error: $report: no such file" >&2; exit 1; }
window_size=${WINDOW_SIZE:-1400,1800}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

find_chromium() {
    if [[ -n ${CHROMIUM:-} ]]; then command -v "$CHROMIUM" && return 0; return 1; fi
    local name
    for name in chromium chromium-browser google-chrome-stable google-chrome; do
        command -v "$name" && return 0
    done
    return 1
}

if ! browser=$(find_chromium); then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "chromium not found; installing it with apt-get (Debian package 'chromium')" >&2
        apt-get install -y chromium >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y chromium >/dev/null 2>&1; } || true
    fi
    if ! browser=$(find_chromium); then
        if [[ ${SKIP_IF_NO_CHROMIUM:-0} == 1 ]]; then
            echo "skipped: chromium not installed"
            exit 0
        fi
        echo "error: chromium not installed and could not be installed (set SKIP_IF_NO_CHROMIUM=1 to skip)" >&2
        exit 1
    fi
fi

abs_report=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
mkdir -p "$(dirname "$out")"
abs_out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
profile=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$profile" "$log"' EXIT
rm -f "$abs_out"

# --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start.
# The proxy and resolver rules point every network request nowhere: the report must not need it.
if ! timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --hide-scrollbars --no-first-run --disable-extensions --disable-sync --user-data-dir="$profile" \
    --proxy-server=127.0.0.1:9 --host-resolver-rules="MAP * ~NOTFOUND" \
    --window-size="$window_size" --screenshot="$abs_out" "file://$abs_report" >"$log" 2>&1; then
    echo "error: chromium failed on $report:" >&2
    tail -20 "$log" >&2
    exit 1
fi
[[ -s $abs_out ]] || { echo "error: chromium wrote no screenshot" >&2; tail -20 "$log" >&2; exit 1; }

# Not blank, the right size, and the inline SVG map drawn (its background colour is on screen).
if command -v python3 >/dev/null; then
    python3 "$here/png-check.py" "$abs_out" --size "${window_size/,/x}" --expect-colour e9eef2 --min-colours 20
else
    echo "note: python3 missing; screenshot not analysed" >&2
fi
echo "ok: $out"
