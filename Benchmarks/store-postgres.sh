#!/usr/bin/env bash
# The PostgreSQL store against its peer, the SQLite store, side by side on one generated ACLED
# export (`regionrisk generate-acled`, deterministic; ROWS, default 1,000,000):
#   ingest into an empty store (wall seconds, rows/s), ROUNDS rounds (default 2), the two
#   backends alternating which goes first; beside the wall time, the CPU seconds (user + sys)
#   of the client (`/usr/bin/time`) and of the server (every process of the cluster, from
#   /proc: only when the cluster is the local one of scripts/pg-cluster.sh);
#   the month window (June 2024, ~1/120 of the events) as the store reads it:
#   `regionrisk bench --store DB --window 2024-06-01,2024-06-30` times `IncidentStoring.query`
#   (the SQL, the rows fetched and decoded into events; nothing written), median of 9 runs
#   after 2 warm-up runs in one process, and the client's CPU for it; that is the figure of
#   the "month window read in ≤ 100 ms" bar;
#   for comparison with earlier figures, the whole `events` command on that window minus the
#   same command on an empty window (process start, connection), median of 5: it includes
#   writing the CSV.
# Needs a PostgreSQL server: $REGIONRISK_TEST_PG, else scripts/pg-cluster.sh starts one (and
# stops it after). Prints a Markdown table with `uptime` before and after: the machine is
# shared, so quote these figures only with the load they were measured under, and compare CPU
# seconds rather than wall time when the load is high.
# Usage: Benchmarks/store-postgres.sh     (SKIP_BUILD=1 uses the binary already built; ROWS, ROUNDS, SCRATCH, CONFIG;
#        BIN=path/to/regionrisk uses that binary)
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
if [[ -n "${BIN:-}" ]]; then bin=$BIN; else
  [[ "${SKIP_BUILD:-0}" == 1 ]] || swift build -c "$config" --scratch-path "$scratch" --product regionrisk >&2
  bin="$(swift build -c "$config" --scratch-path "$scratch" --show-bin-path)/regionrisk"
fi
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
# CPU seconds used so far by the cluster's processes: the postmaster with its reaped children
# (ended backends) plus the live ones; empty when the cluster is not scripts/pg-cluster.sh's here.
pg_dir=${REGIONRISK_PG_DIR:-/tmp/regionrisk-pg-$(pwd | sha256sum | cut -c1-10)}
server_cpu() {
  local pm
  pm=$(head -1 "$pg_dir/data/postmaster.pid" 2>/dev/null) || return 0
  [[ -r /proc/$pm/stat ]] || return 0
  sleep 0.5  # let the postmaster reap the backend that just ended
  python3 - "$pm" <<'PY'
import os, sys
pm = sys.argv[1]
tick = os.sysconf("SC_CLK_TCK")
def fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()
total = sum(int(x) for x in fields(pm)[11:15])  # utime stime cutime cstime
for pid in os.listdir("/proc"):
    if pid.isdigit() and pid != pm:
        try:
            f = fields(pid)
        except OSError:
            continue
        if f[1] == pm:  # ppid
            total += int(f[11]) + int(f[12])
print(total / tick)
PY
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

"$bin" generate-acled --rows "$rows" --out "$work/events.csv"
load_before=$(uptime)
declare -A ingest client server
for ((r = 1; r <= rounds; r++)); do
  order=(sqlite postgres); ((r % 2 == 0)) && order=(postgres sqlite)
  for backend in "${order[@]}"; do
    if [[ $backend == sqlite ]]; then db="$work/r$r.sqlite"; else
      psql_admin "DROP DATABASE IF EXISTS rr_bench WITH (FORCE)"
      psql_admin "CREATE DATABASE rr_bench TEMPLATE regionrisk_template"
      db="$base/rr_bench"
    fi
    s0=$(server_cpu)
    t0=$(now); /usr/bin/time -f "%U %S" -o "$work/time" "$bin" ingest "$work/events.csv" --db "$db" --quiet >/dev/null; t1=$(now)
    s1=$(server_cpu)
    ingest[$backend]+="$(echo "$t1 - $t0" | bc) "
    client[$backend]+="$(awk '{print $1 + $2}' "$work/time") "
    if [[ $backend == postgres && -n "$s0" && -n "$s1" ]]; then server[$backend]+="$(echo "$s1 - $s0" | bc) "; fi
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
declare -A query query_cpu
for backend in sqlite postgres; do
  if [[ $backend == sqlite ]]; then db="$work/r1.sqlite"; else db="$base/rr_bench"; fi
  "$bin" bench --store "$db" --window 2024-06-01,2024-06-30 --repeat 9 --warmup 2 --json >"$work/window.json"
  query[$backend]=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["median_ms"])' "$work/window.json")
  query_cpu[$backend]=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["client_cpu_median_ms"])' "$work/window.json")
done
month=$("$bin" events --db "$work/r1.sqlite" --since 2024-06-01 --until 2024-06-30 | tail -n +2 | wc -l)
load_after=$(uptime)

echo "| store | ingest $rows rows (median of $rounds), s | rows/s | client CPU, s | server CPU, s | month window query ($month events, median of 9), ms | its client CPU, ms | events command − empty window (median of 5), ms |"
echo "|---|---|---|---|---|---|---|---|"
for backend in sqlite postgres; do
  s=$(echo "${ingest[$backend]}" | tr ' ' '\n' | grep . | median)
  c=$(echo "${client[$backend]}" | tr ' ' '\n' | grep . | median)
  v=$(echo "${server[$backend]:-}" | tr ' ' '\n' | grep . | median || true)
  [[ $backend == sqlite ]] && v="–"; [[ -z "$v" ]] && v="n/a"
  w=$(echo "${window[$backend]}" | tr ' ' '\n' | grep . | median)
  printf '| %s | %.1f | %.0f | %.1f | %s | %.1f | %.1f | %.0f |\n' "$backend" "$s" "$(echo "$rows / $s" | bc -l)" "$c" "$v" \
    "${query[$backend]}" "${query_cpu[$backend]}" "$(echo "$w * 1000" | bc -l)"
done
echo
echo "load before: $load_before"
echo "load after:  $load_after"
psql_admin "DROP DATABASE IF EXISTS rr_bench WITH (FORCE)"
