#!/usr/bin/env bash
# Instruction counts (valgrind callgrind) of `regionrisk flag` on a generated ACLED export, for
# one or more CLI builds: repeatable whatever else the machine runs, unlike wall or CPU time.
#
# Usage: Benchmarks/callgrind-flag.sh BINARY...   (each a release `regionrisk`)
# Environment:
#   ROWS                   rows of the export (default 100000; callgrind runs ~50x slower than native)
#   REGIONRISK_BENCH_WORK  scratch folder (default $TMPDIR/regionrisk-callgrind)
# Each binary is copied without its debug sections first (valgrind 3.19 cannot read the DWARF
# that Swift 6.3 writes and gives up), with the resource bundle beside it. Prints one line per
# binary: instructions, and the flag output's SHA-256 (equal outputs have equal hashes).
set -euo pipefail
[[ $# -ge 1 ]] || { echo "usage: $0 BINARY... (release regionrisk executables)" >&2; exit 64; }
command -v valgrind >/dev/null || { echo "$0: needs valgrind (apt-get install valgrind)" >&2; exit 1; }
rows=${ROWS:-100000}
work="${REGIONRISK_BENCH_WORK:-${TMPDIR:-/tmp}/regionrisk-callgrind}"
mkdir -p "$work"
events="$work/acled-$rows.csv"
[[ -f $events ]] || "$1" generate-acled --rows "$rows" --out "$events"
echo "flag --events (generated, $rows rows) --quiet; $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "| build | instructions | output sha256 |"
echo "|---|---|---|"
k=0
for bin in "$@"; do
  k=$((k + 1))
  dir="$work/build-$k"
  rm -rf "$dir" && mkdir -p "$dir"
  objcopy --strip-debug "$bin" "$dir/regionrisk"
  for bundle in "$(dirname "$bin")"/*.resources; do [[ -e $bundle ]] && cp -r "$bundle" "$dir/"; done
  # One run first, not counted: the first run of a binary from a new folder also builds caches
  # (the gazetteer's), which the counted run would include.
  "$dir/regionrisk" flag --events "$events" --out "$dir/warm-up.geojson" --quiet > /dev/null 2>&1 || true
  valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.out" "$dir/regionrisk" flag --events "$events" \
    --out "$dir/flag.geojson" --quiet > "$dir/valgrind.log" 2>&1 || { tail -5 "$dir/valgrind.log" >&2; exit 1; }
  total=$(grep -o 'Collected : [0-9]*' "$dir/valgrind.log" | awk '{print $3}')
  printf '| `%s` | %s | %s |\n' "$bin" "$(printf "%'d" "$total")" "$(sha256sum "$dir/flag.geojson" | cut -c1-16)"
done
