"""Summarises Benchmarks/compare-peers.sh's JSON lines into the ratio table (stdout, Markdown).

Each line is one process: {"tool", "kernel", "events", "runs_s", "load", ...}. The figure per tool
and case is the median of its timed (warm) runs over all rounds; the ratio is KDEpy ÷ RegionRisk.
Usage: summarise.py RESULTS.jsonl UPTIME_BEFORE UPTIME_AFTER
"""
import json, statistics, sys

NAMES = {"regionrisk": "RegionRisk", "kdepy_fft": "KDEpy FFTKDE"}
KERNEL_TEXT = {"quartic": "quartic 50 km, exact", "gaussian": "Gaussian σ 50 km"}


def events_text(n):
    return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k"


def main(path, before, after):
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    cases, loads = {}, []
    for r in rows:
        key = (r["events"], r["kernel"])
        cases.setdefault(key, {}).setdefault(r["tool"], []).extend(r["runs_s"])
        loads.append(r["load"])
        cells = r["cells"]
    print(f"peer harness grid, 1 km, {cells:,} cells; from events in memory to the finished array")
    print(f"uptime before: {before.strip()}")
    print(f"uptime after:  {after.strip()}")
    print(f"1-min load seen by the runs: {min(loads):.2f}–{max(loads):.2f}")
    print()
    print("| case | RegionRisk | KDEpy FFTKDE | ratio |")
    print("|---|---|---|---|")
    for (n, kernel), tools in sorted(cases.items(), key=lambda kv: (kv[0][0], kv[0][1] != "quartic")):
        rr = statistics.median(tools.get("regionrisk", [float("nan")]))
        kd = statistics.median(tools.get("kdepy_fft", [float("nan")]))
        print(f"| {events_text(n)} events, {KERNEL_TEXT.get(kernel, kernel)} | {rr:.3f} s | {kd:.3f} s | {kd / rr:.1f}× |")
    print()
    for (n, kernel), tools in sorted(cases.items()):
        runs = "; ".join(f"{NAMES.get(t, t)} " + ", ".join(f"{x:.3f}" for x in v) for t, v in sorted(tools.items()))
        print(f"runs (s), {events_text(n)} {kernel}: {runs}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
