#!/usr/bin/env bash
# Renders a RegionRisk HTML report in headless Chromium and checks it as a person uses it —
# with the network blocked, so a report that needed anything from the web would show it:
#   - the screenshot (saved to OUT.png) shows the map: the area, flagged regions with their
#     labels and the legend (DOM checks, then pixels and colours of the screenshot);
#   - a scripted session (DevTools protocol over a pipe, scripts/browser-session.py, Python's
#     standard library only) zooms with the wheel, pans by dragging and clicks a flagged region,
#     and its incident list must appear.
# It fails (exit 1) when the map or the legend is missing.
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

command -v python3 >/dev/null || { echo "error: python3 is needed for the browser session" >&2; exit 1; }
abs_report=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
mkdir -p "$(dirname "$out")"
abs_out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
rm -f "$abs_out"

if ! timeout 180 python3 "$here/browser-session.py" "$browser" "$abs_report" "$abs_out" --size "${window_size/,/x}"; then
    echo "error: the report failed the browser check: $report" >&2
    exit 1
fi
[[ -s $abs_out ]] || { echo "error: chromium wrote no screenshot" >&2; exit 1; }
# Not blank, the right size, and the inline SVG map drawn (its background colour is on screen).
python3 "$here/png-check.py" "$abs_out" --size "${window_size/,/x}" --expect-colour e9eef2 --min-colours 20
echo "ok: $out"
