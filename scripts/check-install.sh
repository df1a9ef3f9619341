#!/usr/bin/env bash
# Checks that an installed regionrisk runs with neither the build folder nor the Swift
# toolchain: installs into a temporary prefix, hides /opt/swift (a private mount namespace, as
# root) and runs the main job; then removes the data and checks for a clear error and exit 1.
# Usage: scripts/check-install.sh        (CI runs it after the tests)
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
scripts/install.sh --prefix "$tmp/prefix" >/dev/null
bin="$tmp/prefix/bin/regionrisk"
if ldd "$bin" | grep -i swift; then
  echo "check-install: $bin still links Swift runtime libraries dynamically" >&2; exit 1
fi
# The copy outside the project, so no path into the source or build tree can be found either.
toolchain="$(dirname "$(dirname "$(command -v swift)")")"
run_hidden() {
  if [[ $(id -u) -eq 0 ]] && command -v unshare >/dev/null; then
    unshare -m bash -c 'mount -t tmpfs tmpfs "$1" && shift && cd "$0" && env -i HOME="$0" PATH=/usr/bin:/bin "$@"' \
      "$tmp" "$toolchain" "$@"
  else
    echo "check-install: not root; the toolchain stays visible, only PATH is cleared" >&2
    (cd "$tmp" && env -i HOME="$tmp" PATH=/usr/bin:/bin "$@")
  fi
}
set +e
run_hidden "$bin" report --as-of 2025-07-08 --out "$tmp/reports" > "$tmp/out.txt" 2>&1
status=$?
set -e
if [[ $status -ne 3 && $status -ne 0 ]] || [[ ! -s "$tmp/reports/latest/report.html" ]]; then
  cat "$tmp/out.txt" >&2; echo "check-install: the installed report did not run to completion (exit $status)" >&2; exit 1
fi
rm -rf "$tmp/prefix/share/regionrisk"
set +e
run_hidden "$bin" report --out "$tmp/reports2" > "$tmp/out2.txt" 2>&1
status=$?
set -e
if [[ $status -ne 1 ]] || ! grep -q "tried:" "$tmp/out2.txt"; then
  cat "$tmp/out2.txt" >&2; echo "check-install: missing data gave exit $status, not 1 with the paths tried" >&2; exit 1
fi
echo "check-install: installed binary ran the report without build folder or toolchain; missing data gives exit 1 naming the paths tried"
