#!/usr/bin/env bash
# libFuzzer targets for RegionRisk's readers (address sanitizer on).
#   scripts/fuzz.sh --list                 names the targets
#   scripts/fuzz.sh TARGET SECONDS [ARGS]  builds TARGET into .build-fuzz/TARGET/ and runs it for
#                                          SECONDS, starting from Tests/Fuzz/TARGET/corpus/ (read
#                                          only); new inputs go to .build-fuzz/TARGET/corpus/,
#                                          crashes to .build-fuzz/TARGET/crash-*. ARGS go to libFuzzer.
#   scripts/fuzz.sh TARGET SECONDS FILE... runs TARGET once on each FILE (a saved crash) instead.
# The fuzzer is one binary for all targets: the modules the readers need (none needs GRDB, PROJ
# or GEOS) and the harnesses, compiled with -sanitize=fuzzer,address; RegionRiskGeodata is
# replaced by Tests/Fuzz/support/EmbeddedGeodata.swift, reading Geodata/mali/, and swift-crypto's
# SHA-256 by Tests/Fuzz/support/SHA256StandIn.swift.
# REGIONRISK_FUZZ_COVERAGE=edge builds a second binary (.build-fuzz/bin-edge/) with edge coverage
# only: no comparison tracing (trace-cmp), which costs a third of each run in the geocoder's
# byte loops. It finds new comparisons more slowly, so it is for long runs that start from a
# corpus the default binary grew (the same .build-fuzz/TARGET/corpus/); its executions are 1.6x
# as many per second on the row target.
# Runs under `nice -n 19`: the machine is shared. Exit status: libFuzzer's (0 = no crash).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
targets=(csv geojson row geocoder date)
declare -A describe=(
  [csv]="CSV reader (CSVReader): records, numbers, dates, write-back round trip"
  [geojson]="JSON parser + GeoJSON model + GeoJSON incident reader, serialise round trip"
  [row]="incident file reader end to end: format detection, column map, row interpreter, geocoding (400 places)"
  [geocoder]="name normaliser, reported-name readings, geocoder, mentions in free text (400 places)"
  [date]="date parser: byte and String parsers agree, YYYY-MM-DD round trip"
)
declare -A harness=([csv]=CSVFuzz [geojson]=GeoJSONFuzz [row]=RowFuzz [geocoder]=GeocoderFuzz [date]=DateFuzz)
# Largest input per target, bytes: enough for several records across the csv harness's 64-byte
# chunks, a feature collection, or a paragraph of text; a longer input only costs time per run.
declare -A max_len=([csv]=4096 [geojson]=4096 [row]=1024 [geocoder]=512 [date]=64)

if [[ "${1:-}" == "--list" ]]; then
  for t in "${targets[@]}"; do printf '%-9s %s\n' "$t" "${describe[$t]}"; done
  exit 0
fi
if [[ $# -lt 2 || -z "${harness[${1}]:-}" ]]; then
  echo "usage: scripts/fuzz.sh --list | scripts/fuzz.sh TARGET SECONDS [libFuzzer args]  (targets: ${targets[*]})" >&2
  exit 64
fi
target="$1"; seconds="$2"; shift 2
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "SECONDS must be a whole number" >&2; exit 64; }

# One binary holds every harness (Tests/Fuzz/support/FuzzEntry.swift picks one): built once
# into .build-fuzz/bin/ (bin-edge/, see above), each target's corpus and crashes in .build-fuzz/TARGET/.
case "${REGIONRISK_FUZZ_COVERAGE:-cmp}" in
  cmp)  bin="$root/.build-fuzz/bin"; coverage=() ;;
  edge) bin="$root/.build-fuzz/bin-edge"; coverage=(-sanitize-coverage=edge,inline-8bit-counters,pc-table) ;;
  *) echo "REGIONRISK_FUZZ_COVERAGE must be cmp (the default) or edge" >&2; exit 64 ;;
esac
scratch="$root/.build-fuzz/$target"
mkdir -p "$bin/module" "$scratch/corpus"
src="$root/Sources"
# The readers' modules, without what needs GRDB, PROJ or GEOS: RegionRiskBase, RegionRiskGeoJSON
# (less its GEOS bridge) and RegionRiskData's Events/ and Gazetteer/ (not Store/), each a static
# library instrumented for the fuzzer, plus a stand-in RegionRiskGeodata.
# SHA-256 is swift-crypto's, which these builds do not link: Tests/Fuzz/support/SHA256StandIn.swift
# takes its place (no harness checks a digest).
mapfile -t base < <(find "$src/RegionRiskBase" -name '*.swift' ! -path '*/Hashing/SHA256.swift' | sort)
base+=("$root/Tests/Fuzz/support/SHA256StandIn.swift")
mapfile -t geojson < <(find "$src/RegionRiskGeoJSON" -name '*.swift' ! -name 'Geometry+GeoJSON.swift' | sort)
mapfile -t data < <(find "$src/RegionRiskData/Events" "$src/RegionRiskData/Gazetteer" -name '*.swift' | sort)
harnesses=("$root"/Tests/Fuzz/support/FuzzInput.swift "$root"/Tests/Fuzz/support/FuzzEntry.swift "$root"/Tests/Fuzz/support/FuzzGazetteer.swift)
for t in "${targets[@]}"; do harnesses+=("$root/Tests/Fuzz/$t/${harness[$t]}.swift"); done
binary="$bin/regionrisk-fuzz"
newest=$(ls -t "${base[@]}" "${geojson[@]}" "${data[@]}" "${harnesses[@]}" "$root"/Tests/Fuzz/support/EmbeddedGeodata.swift "$0" | head -1)
module() {  # name, sources...
  local name="$1"; shift
  local lib="$bin/module/lib$name.a"
  # Rebuilt only when one of its sources, or a module built before it (which it may import), is
  # newer than the library: a module compiled against an older interface of one it imports
  # would be linked with the wrong layouts.
  if [[ -f "$lib" && -z "$(find "$@" "${built[@]}" -newer "$lib" | head -1)" ]]; then built+=("$lib"); return 0; fi
  nice -n 19 swiftc -O -parse-as-library -enable-testing -sanitize=fuzzer,address "${coverage[@]}" -emit-module -emit-library -static \
    -module-name "$name" -package-name RegionRisk -I "$bin/module" -emit-module-path "$bin/module/$name.swiftmodule" "$@" -o "$lib" \
    2>> "$bin/build.log"
  built+=("$lib")
}
built=()
if [[ ! -x "$binary" || "$newest" -nt "$binary" ]]; then
  echo "building $binary (several minutes) ..." >&2
  : > "$bin/build.log"
  { geodata="$bin/module/libRegionRiskGeodata.a"
    if [[ ! -f "$geodata" || "$root/Tests/Fuzz/support/EmbeddedGeodata.swift" -nt "$geodata" ]]; then
      swiftc -emit-module -emit-library -static -parse-as-library -module-name RegionRiskGeodata \
        -emit-module-path "$bin/module/RegionRiskGeodata.swiftmodule" \
        "$root/Tests/Fuzz/support/EmbeddedGeodata.swift" -o "$geodata" 2>> "$bin/build.log"
    fi && built+=("$geodata") &&
    module RegionRiskBase "${base[@]}" && module RegionRiskGeoJSON "${geojson[@]}" && module RegionRiskData "${data[@]}" &&
    nice -n 19 swiftc -O -parse-as-library -sanitize=fuzzer,address "${coverage[@]}" -module-name RegionRiskFuzz -package-name RegionRisk -I "$bin/module" \
      "${harnesses[@]}" -L "$bin/module" -lRegionRiskData -lRegionRiskGeoJSON -lRegionRiskBase -lRegionRiskGeodata \
      -o "$binary" 2>> "$bin/build.log"; } || { grep -v "Cannot export local symbol" "$bin/build.log" >&2; exit 1; }
fi
# The row and geojson targets read their input from a file: keep it on tmpfs when there is one.
inputs="${REGIONRISK_FUZZ_SCRATCH:-/dev/shm}"
[[ -d "$inputs" && -w "$inputs" ]] || inputs="$scratch"
export REGIONRISK_FUZZ_SCRATCH="$inputs" REGIONRISK_FUZZ_GEODATA="$root/Geodata/mali" REGIONRISK_FUZZ_TARGET="$target"
# No allocation stack traces (unwinding on every malloc was a tenth of each run's time): rerun a
# crash with ASAN_OPTIONS=detect_leaks=0 for them. Swift's own crash handler is off, as ASan
# trips inside it; libFuzzer reports the trap and saves the input.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:malloc_context_size=0}" SWIFT_BACKTRACE="enable=no"
# Saved inputs named on the command line run once each, without the corpora.
args=() files=()
for a in "$@"; do
  if [[ "$a" != -* && -f "$a" ]]; then files+=("$(cd "$(dirname "$a")" && pwd)/$(basename "$a")"); else args+=("$a"); fi
done
cd "$scratch"
if (( ${#files[@]} )); then
  exec "$binary" -timeout=20 -rss_limit_mb=4096 "${args[@]}" "${files[@]}"
fi
# -detect_leaks=0: LeakSanitizer is off above (the Swift runtime allocates its caches lazily and
# keeps them), yet libFuzzer would still run every input whose mallocs outnumber its frees a
# second time to look for a leak: a sixteenth of the row target's time, for nothing.
# -timeout=120: libFuzzer times an input by the wall clock, and a run niced to 19 gets almost no
# CPU while anything else runs at normal priority. On 2026-12-03 a geocoder campaign stopped on a
# "timeout" while a release build ran beside it: its inputs replay alone in 0.9 and 1.4 CPU
# seconds (they are in the seed corpus now). Two minutes still catches a hang.
exec nice -n 19 "$binary" -max_total_time="$seconds" -print_final_stats=1 -max_len="${max_len[$target]}" -timeout=120 -rss_limit_mb=4096 -detect_leaks=0 \
  "${args[@]}" "$scratch/corpus" "$root/Tests/Fuzz/$target/corpus"
