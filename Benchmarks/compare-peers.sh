#!/usr/bin/env bash
# RegionRisk's density core side by side with KDEpy FFTKDE from the team's peer harness
# (../shared/peers), on the harness's grid (Mali's bounding box, 1 km, 3.09M cells, 50 km), the
# same event files for both.
#
# Interleaved: ROUNDS rounds (default 3); in each, every case runs once per tool, the tools
# alternating which goes first. Every run is a fresh process that does one untimed warm-up and
# one timed run (events already in memory, projection excluded, as the harness times its peers).
# The table gives, per tool and case, the median of the warm timed runs, and the ratio, with the
# machine's `uptime` before and after: quote a ratio only with the load it was measured under.
#
# Usage: Benchmarks/compare-peers.sh          (prints the table; the raw lines go to $work)
# Environment (SKIP_BUILD=1 uses the release binary already built):
#   BUILD_PATH             the build folder (default <project>/.build; the binary is $BUILD_PATH/release/regionrisk)
#   REGIONRISK_PEERS       the harness (default: <project>/../shared/peers); absent -> exits 0
#   REGIONRISK_PEERS_WORK  scratch copy with its venv and event files
#                          (default: ~/.cache/regionrisk/peers; never inside the project)
#   ROUNDS                 rounds (default 3);  CASES  e.g. "100k:quartic 1M:gaussian"
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$(cd "$here/.." && pwd)"
peers="${REGIONRISK_PEERS:-$project/../shared/peers}"
work="${REGIONRISK_PEERS_WORK:-${XDG_CACHE_HOME:-$HOME/.cache}/regionrisk/peers}"
rounds="${ROUNDS:-3}"
cases="${CASES:-100k:quartic 100k:gaussian 1M:quartic 1M:gaussian}"

if [[ ! -f $peers/peers.py ]]; then
  echo "compare-peers: no peer harness at $peers (set REGIONRISK_PEERS); nothing compared" >&2
  exit 0
fi

# The harness folder may be read-only and its setup.sh writes its venv beside itself, so it runs
# from a scratch copy. Only the Python side of setup.sh is needed (KDEpy; no GDAL/QGIS).
mkdir -p "$work/data"
cp "$peers/peers.py" "$peers/gen_events.py" "$work/"
if [[ ! -x $work/.venv/bin/python ]]; then python3 -m venv "$work/.venv"; fi
py="$work/.venv/bin/python"
if ! "$py" -c "import numpy, scipy, KDEpy, pyproj, pandas" 2>/dev/null; then
  "$py" -m pip install --quiet --disable-pip-version-check numpy scipy KDEpy pyproj pandas
fi
for n in 100k 1M; do
  count=${n/k/000}; count=${count/M/000000}
  [[ -f $work/data/events_$n.csv ]] || (cd "$work" && "$py" gen_events.py --n "$count" --out "data/events_$n.csv")
done

build="${BUILD_PATH:-$project/.build}"
if [[ ${SKIP_BUILD:-0} != 1 ]]; then (cd "$project" && swift build -c release --scratch-path "$build" --product regionrisk >&2); fi
bin="$build/release/regionrisk"

results="$work/compare-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
: > "$results"
before="$(date -u '+%Y-%m-%d %H:%M UTC'), $(uptime)"

run_regionrisk() {  # events-label kernel
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  "$bin" bench --peer-grid --events-file "$work/data/events_$1.csv" --cell-km 1 --kernels "$2" \
      --warmup 1 --repeat 1 --json |
    "$py" -c 'import json,sys; d=json.load(sys.stdin)["scenarios"][0]; print(json.dumps({"tool":"regionrisk","kernel":d["kernel"],"events":int(d["events"]),"res_km":d["cell_km"],"cells":int(d["cells"]),"runs_s":d["runs"],"load":float(sys.argv[1]),"peak_memory_mb":d["peak_memory_mb"]}))' "$load" \
    >> "$results"
}
run_peer() {  # events-label kernel
  "$py" "$here/peers/time_peer.py" --harness "$work" --events "$work/data/events_$1.csv" --res-km 1 --bw-km 50 \
      --kernel "$2" --peer kdepy_fft --warmup 1 --runs 1 >> "$results"
}

for ((round = 1; round <= rounds; round++)); do
  for c in $cases; do
    n=${c%%:*}; k=${c#*:}
    echo "round $round/$rounds: $n $k" >&2
    if ((round % 2)); then run_regionrisk "$n" "$k"; run_peer "$n" "$k"
    else run_peer "$n" "$k"; run_regionrisk "$n" "$k"; fi
  done
done
after="$(date -u '+%Y-%m-%d %H:%M UTC'), $(uptime)"

"$py" "$here/peers/summarise.py" "$results" "$before" "$after"
echo "(raw lines: $results)" >&2
