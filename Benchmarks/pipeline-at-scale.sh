#!/usr/bin/env bash
# The pipeline at scale: the release CLI timed with /usr/bin/time (wall seconds, peak resident
# memory) on generated ACLED exports (`regionrisk generate-acled`, deterministic):
#   ingest 1M rows into an empty store; flag on 1M events (5 km cells); report on 1M events
#   (2 km density cells); EHSA over 24 monthly steps at 5 km on 100k events.
# Prints a Markdown table with `uptime` before and after: the machine is shared, so quote these
# figures with the load they were measured under.
#
# Besides wall time and peak memory, each row gives the process's user + system CPU seconds: on a
# shared machine the wall time mostly measures the load, the CPU time much less so.
#
# Usage: Benchmarks/pipeline-at-scale.sh
# Environment:
#   SKIP_BUILD=1           use the release binary already built
#   BUILD_PATH             the build folder (default <project>/.build; the binary is $BUILD_PATH/release/regionrisk)
#   ROWS                   events for ingest, flag and report (default 1000000; EHSA always runs on 100000)
#   REGIONRISK_BENCH_WORK  scratch folder (default $TMPDIR/regionrisk-pipeline-bench; ~1 GB, delete after)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$(cd "$here/.." && pwd)"
work="${REGIONRISK_BENCH_WORK:-${TMPDIR:-/tmp}/regionrisk-pipeline-bench}"
mkdir -p "$work"
build="${BUILD_PATH:-$project/.build}"
big="${ROWS:-1000000}"
if [[ ${SKIP_BUILD:-0} != 1 ]]; then (cd "$project" && swift build -c release --scratch-path "$build" --product regionrisk >&2); fi
bin="$build/release/regionrisk"
for rows in 100000 "$big"; do
  [[ -f $work/acled-$rows.csv ]] || "$bin" generate-acled --rows "$rows" --out "$work/acled-$rows.csv"
done

echo "uptime before: $(date -u '+%Y-%m-%d %H:%M UTC'), $(uptime)"
echo
echo "| command | events | wall | CPU (user + sys) | peak memory | rate | 1-min load |"
echo "|---|---|---|---|---|---|---|"
measure() {  # label rows command...
  local label=$1 rows=$2; shift 2
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  set +e
  /usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" "$@" > "$work/out.txt" 2> "$work/err.txt"
  local status=$?
  set -e
  # report and flag exit 3 when regions are new: that is success.
  if [[ $status -ne 0 && $status -ne 3 ]]; then
    echo "$label failed ($status):" >&2; tail -5 "$work/err.txt" >&2; return 1
  fi
  read -r wall kib user sys < <(tail -1 "$work/time.txt")
  local rate=""
  if [[ $label == ingest* ]]; then rate=$(awk -v n="$rows" -v s="$wall" 'BEGIN { printf "%.0f rows/s", n / s }'); fi
  local cpu; cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f s", u + s }')
  printf '| `%s` | %s | %.2f s | %s | %d MB | %s | %s |\n' "$label" "$rows" "$wall" "$cpu" $((kib / 1024)) "$rate" "$load"
}
rm -f "$work"/empty.sqlite*
measure "ingest (empty store)" "$big" "$bin" ingest "$work/acled-$big.csv" --db "$work/empty.sqlite"
measure "flag (5 km cells)" "$big" "$bin" flag --events "$work/acled-$big.csv" --out "$work/flag.geojson" --quiet
measure "report --density-cell-km 2" "$big" "$bin" report --events "$work/acled-$big.csv" --density-cell-km 2 \
  --out "$work/reports" --quiet
measure "flag --method ehsa --steps 24 --step-days 30" 100000 "$bin" flag --events "$work/acled-100000.csv" \
  --method ehsa --steps 24 --step-days 30 --out "$work/ehsa.geojson" --quiet
echo
echo "uptime after: $(date -u '+%Y-%m-%d %H:%M UTC'), $(uptime)"
