#!/usr/bin/env bash
# The PostgreSQL store against its peer, the SQLite store, side by side on one generated ACLED
# export (`regionrisk generate-acled`, deterministic; ROWS, default 1,000,000):
#   ingest into an empty store (wall seconds, rows/s), ROUNDS rounds (default 2), the two
#   backends alternating which goes first;
#   a month window (June 2024, ~1/120 of the events) exported with `events`, 5 runs each,
#   minus the same command on an empty window (process start and connection), median.
# Needs a PostgreSQL server: $REGIONRISK_TEST_PG, else scripts/pg-cluster.sh starts one (and
# stops it after). Prints a Markdown table with `uptime` before and after: the machine is
# shared, so quote these figures only with the load they were measured under.
# Usage: Benchmarks/store-postgres.sh     (SKIP_BUILD=1 uses the binary already built; ROWS, ROUNDS, SCRATCH, CONFIG)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$(cd "$here/.." && pwd)"
cd "$project"
rows="${ROWS:-1000000}"
rounds="${ROUNDS:-2}"
scratch="${SCRATCH:-.build-bench}"
config="${CONFIG:-release}"   # debug: the figures of a debug build, for a quick check only
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [[ -z "${REGIONRISK_TEST_PG:-}" ]]; then
  line=$(scripts/pg-cluster.sh start | grep '^REGIONRISK_TEST_PG=')
  export REGIONRISK_TEST_PG=${line#REGIONRISK_TEST_PG=}
  trap 'rm -rf "$work"; scripts/pg-cluster.sh stop' EXIT
fi
[[ "${SKIP_BUILD:-0}" == 1 ]] || swift build -c "$config" --scratch-path "$scratch" --product regionrisk >&2
bin="$(swift build -c "$config" --scratch-path "$scratch" --show-bin-path)/regionrisk"
psql_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/psql"
base="${REGIONRISK_TEST_PG%/*}"

psql_admin() {
  python3 - "$REGIONRISK_TEST_PG" "$psql_bin" "$1" <<'PY'
import subprocess, sys, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
subprocess.run([sys.argv[2], "-h", u.hostname, "-p", str(u.port), "-U", u.username, "-d", "postgres", "-qAt", "-c", sys.argv[3]],
               env={"PGPASSWORD": urllib.parse.unquote(u.password or "")}, check=True, stdout=subprocess.DEVNULL)
PY
}
now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

"$bin" generate-acled --rows "$rows" --out "$work/events.csv"
load_before=$(uptime)
declare -A ingest
for ((r = 1; r <= rounds; r++)); do
  order=(sqlite postgres); ((r % 2 == 0)) && order=(postgres sqlite)
  for backend in "${order[@]}"; do
    if [[ $backend == sqlite ]]; then db="$work/r$r.sqlite"; else
      psql_admin "DROP DATABASE IF EXISTS rr_bench WITH (FORCE)"
      psql_admin "CREATE DATABASE rr_bench TEMPLATE regionrisk_template"
      db="$base/rr_bench"
    fi
    t0=$(now); "$bin" ingest "$work/events.csv" --db "$db" --quiet >/dev/null; t1=$(now)
    ingest[$backend]+="$(echo "$t1 - $t0" | bc) "
  done
done
declare -A window
for ((k = 1; k <= 5; k++)); do
  for backend in sqlite postgres; do
    if [[ $backend == sqlite ]]; then db="$work/r1.sqlite"; else db="$base/rr_bench"; fi
    t0=$(now); "$bin" events --db "$db" --since 2030-01-01 >/dev/null; t1=$(now)
    "$bin" events --db "$db" --since 2024-06-01 --until 2024-06-30 >/dev/null; t2=$(now)
    window[$backend]+="$(echo "($t2 - $t1) - ($t1 - $t0)" | bc) "
  done
done
month=$("$bin" events --db "$work/r1.sqlite" --since 2024-06-01 --until 2024-06-30 | tail -n +2 | wc -l)
load_after=$(uptime)

echo "| store | ingest $rows rows (median of $rounds), s | rows/s | month window ($month events, median of 5), ms |"
echo "|---|---|---|---|"
for backend in sqlite postgres; do
  s=$(echo "${ingest[$backend]}" | tr ' ' '\n' | grep . | median)
  w=$(echo "${window[$backend]}" | tr ' ' '\n' | grep . | median)
  printf '| %s | %.1f | %.0f | %.0f |\n' "$backend" "$s" "$(echo "$rows / $s" | bc -l)" "$(echo "$w * 1000" | bc -l)"
done
echo
echo "load before: $load_before"
echo "load after:  $load_after"
psql_admin "DROP DATABASE IF EXISTS rr_bench WITH (FORCE)"
