#!/usr/bin/env bash
# The forecast's fit at scale: `regionrisk bench --forecast-events N` (simulated events over Mali,
# the full fit: background cross-validation, EM, standard errors) under /usr/bin/time, and the
# same on a smaller N under valgrind's callgrind. CPU time (user + system) and instruction counts
# are repeatable on a loaded machine where wall time is not; the load is printed beside them.
#
# Usage: Benchmarks/forecast-fit.sh [EVENTS (100000)] [CALLGRIND_EVENTS (10000, 0 to skip)]
# Environment: SCRATCH (release scratch path, default .build-release); SKIP_BUILD=1 uses the binary already built.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$(cd "$here/.." && pwd)"
events="${1:-100000}"
callgrind_events="${2:-10000}"
scratch="${SCRATCH:-.build-release}"
if [[ ${SKIP_BUILD:-0} != 1 ]]; then (cd "$project" && swift build -c release --scratch-path "$scratch" --product regionrisk >&2); fi
bin="$project/$scratch/release/regionrisk"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "uptime before: $(date -u '+%Y-%m-%d %H:%M UTC'), $(uptime)"
/usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$bin" bench --forecast-events "$events" --repeat 1 > "$work/out.txt"
cat "$work/out.txt"
read -r wall user sys kib < <(tail -1 "$work/time.txt")
echo "whole process (simulation + fit): wall $wall s, CPU $user s user + $sys s system, peak $((kib / 1024)) MB"
echo "uptime after:  $(date -u '+%Y-%m-%d %H:%M UTC'), $(uptime)"
if [[ $callgrind_events -gt 0 ]] && command -v valgrind > /dev/null; then
  valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" "$bin" bench --forecast-events "$callgrind_events" --repeat 1 \
    > /dev/null 2> "$work/callgrind.txt"
  echo "callgrind, $callgrind_events events (simulation + fit): $(grep -o 'Collected : [0-9]*' "$work/callgrind.txt" | awk '{print $3}') instructions"
  callgrind_annotate "$work/callgrind.out" 2> /dev/null | sed -n '/Ir/,$p' | head -25
fi
