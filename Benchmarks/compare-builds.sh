#!/usr/bin/env bash
# Two builds of the CLI, A and B, run interleaved (A B A B …) on the same generated ACLED export,
# so that a change is measured against the code before it under the same load: the medians of
# each command's wall and CPU (user + system) seconds, and B ÷ A.
#
# Usage: Benchmarks/compare-builds.sh BINARY_A BINARY_B
#   e.g. build the commit before a change into one scratch folder and the change into another
#   (`swift build -c release --scratch-path …`), then pass both `…/release/regionrisk`.
# Environment:
#   ROWS     events in the export (default 1000000)
#   RUNS     runs of each command per binary (default 3)
#   COMMANDS which of ingest, flag, report (default "ingest flag")
#   REGIONRISK_BENCH_WORK  scratch folder (default $TMPDIR/regionrisk-compare-builds; ~0.5 GB)
set -euo pipefail
[[ $# -eq 2 && -x $1 && -x $2 ]] || { echo "usage: $0 BINARY_A BINARY_B (two regionrisk executables)" >&2; exit 64; }
a=$1 b=$2
rows=${ROWS:-1000000} runs=${RUNS:-3} commands=${COMMANDS:-ingest flag}
work="${REGIONRISK_BENCH_WORK:-${TMPDIR:-/tmp}/regionrisk-compare-builds}"
mkdir -p "$work"
events="$work/acled-$rows.csv"
[[ -f $events ]] || "$a" generate-acled --rows "$rows" --out "$events"
cmp <("$a" --version 2>/dev/null || true) <("$b" --version 2>/dev/null || true) > /dev/null && same=" (same --version)" || same=""

run() {  # binary command → "wall cpu" on stdout
  local bin=$1 cmd=$2
  rm -rf "$work/run" && mkdir -p "$work/run"
  local args
  case $cmd in
    ingest) args=(ingest "$events" --db "$work/run/store.sqlite") ;;
    flag) args=(flag --events "$events" --out "$work/run/flag.geojson" --quiet) ;;
    report) args=(report --events "$events" --density-cell-km 2 --out "$work/run/reports" --quiet) ;;
    *) echo "unknown command $cmd" >&2; exit 64 ;;
  esac
  set +e
  /usr/bin/time -f "%e %U %S" -o "$work/time.txt" "$bin" "${args[@]}" > "$work/out.txt" 2> "$work/err.txt"
  local status=$?
  set -e
  # flag and report exit 3 when regions are new: that is success.
  if [[ $status -ne 0 && $status -ne 3 ]]; then echo "$bin $cmd failed ($status):" >&2; tail -5 "$work/err.txt" >&2; exit 1; fi
  awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$work/time.txt"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "A: $a"
echo "B: $b$same"
echo "$rows events, $runs interleaved runs each; $(date -u '+%Y-%m-%d %H:%M UTC'), $(uptime)"
echo
echo "| command | A wall (median) | B wall (median) | B ÷ A wall | A CPU | B CPU | B ÷ A CPU | runs (wall s, A / B) |"
echo "|---|---|---|---|---|---|---|---|"
for cmd in $commands; do
  aw=() ac=() bw=() bc=()
  for ((i = 0; i < runs; i++)); do
    read -r w c < <(run "$a" "$cmd"); aw+=("$w"); ac+=("$c")
    read -r w c < <(run "$b" "$cmd"); bw+=("$w"); bc+=("$c")
  done
  maw=$(printf '%s\n' "${aw[@]}" | median) mbw=$(printf '%s\n' "${bw[@]}" | median)
  mac=$(printf '%s\n' "${ac[@]}" | median) mbc=$(printf '%s\n' "${bc[@]}" | median)
  printf '| `%s` | %.2f s | %.2f s | %.2f | %.2f s | %.2f s | %.2f | %s / %s |\n' "$cmd" "$maw" "$mbw" \
    "$(awk -v x="$mbw" -v y="$maw" 'BEGIN { print x / y }')" "$mac" "$mbc" \
    "$(awk -v x="$mbc" -v y="$mac" 'BEGIN { print x / y }')" "${aw[*]}" "${bw[*]}"
done
echo
echo "after: $(uptime)"
