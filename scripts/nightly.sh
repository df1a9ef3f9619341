#!/usr/bin/env bash
# The nightly job (README, "From cron"): bring fresh incidents into the store, then write the report
# as of today (UTC). Everything the commands log (JSON lines) is appended to the log file; standard
# output stays empty on a quiet night, so cron mails only when there is something to read.
#
#   scripts/nightly.sh --db PATH [--out DIR] [--log FILE] [--bin PATH]
#                      [--fetch-acled COUNTRY | --ingest FILE] [-- REPORT-OPTIONS...]
#
# Exit status: 0 a quiet night (no new or escalating region); 3 new or escalating regions (one line
# on stdout says where the report is); 4 the report was published but its run history could not be
# written; 1 a step failed (one line on stdout says which; the report still runs on the stored data
# when only the fetch or ingest failed); 64 usage.
set -u

here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${REGIONRISK_BIN:-$here/.build/release/regionrisk}"
db="" out="reports" log="" fetch="" ingest=""
while [ $# -gt 0 ]; do
    case "$1" in
        --db) db="${2-}"; shift 2 ;;
        --out) out="${2-}"; shift 2 ;;
        --log) log="${2-}"; shift 2 ;;
        --bin) bin="${2-}"; shift 2 ;;
        --fetch-acled) fetch="${2-}"; shift 2 ;;
        --ingest) ingest="${2-}"; shift 2 ;;
        --) shift; break ;;
        *) echo "nightly.sh: unknown option $1 (see the comment at the top of $0)" >&2; exit 64 ;;
    esac
done
if [ -z "$db" ]; then echo "nightly.sh: --db PATH is required" >&2; exit 64; fi
if [ -n "$fetch" ] && [ -n "$ingest" ]; then echo "nightly.sh: give --fetch-acled or --ingest, not both" >&2; exit 64; fi
[ -n "$log" ] || log="$out/nightly.log"
mkdir -p "$(dirname "$log")" "$out" || exit 1

failed=""
if [ -n "$fetch" ]; then
    "$bin" fetch acled --country "$fetch" --db "$db" --log-format json >/dev/null 2>>"$log" || failed="fetch acled (exit $?)"
elif [ -n "$ingest" ]; then
    "$bin" ingest "$ingest" --db "$db" --log-format json >/dev/null 2>>"$log" || failed="ingest $ingest (exit $?)"
fi

"$bin" report --db "$db" --out "$out" --as-of today --log-format json "$@" >>"$log" 2>&1
rc=$?
case $rc in
    0) ;;
    3) echo "regionrisk: new or escalating regions; read $out/latest/report.html" ;;
    4) echo "regionrisk: new report in $out/latest/report.html, but its run history was not written (disk full?)" ;;
    *) failed="${failed:+$failed; }report (exit $rc)" ;;
esac
if [ -n "$failed" ]; then
    echo "regionrisk nightly: failed: $failed; see $log"
    exit 1
fi
exit $rc
