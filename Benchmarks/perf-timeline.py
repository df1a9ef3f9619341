#!/usr/bin/env python3
"""Where a command's wall time goes, thread by thread: bins a `perf record -e cpu-clock` profile
by thread and time slice and prints, per slice, each thread's sample count and its top shared
objects. A thread's count against the sampling rate times the slice says how busy it was.

    perf record -e cpu-clock -F 499 -o run.perf regionrisk ingest export.csv --db s.db
    perf script -i run.perf -F tid,time,ip,dso | Benchmarks/perf-timeline.py [SLICE_SECONDS]

SLICE_SECONDS defaults to 0.5; with -F 499 a busy thread has about 250 samples per half-second.
"""
import collections
import re
import sys

slice_s = float(sys.argv[1]) if len(sys.argv) > 1 else 0.5
header = re.compile(r"\s*(\d+)\s+([\d.]+):")
bins = collections.defaultdict(collections.Counter)
t0 = None
tid = time = None
for line in sys.stdin:
    m = header.match(line)
    if m:
        tid, time = int(m.group(1)), float(m.group(2))
        if t0 is None:
            t0 = time
        rest = line[m.end():]
        if "(" in rest:  # the dso on the header line (no call graph recorded)
            bins[int((time - t0) / slice_s)][(tid, rest.rsplit("(", 1)[1].rstrip(")\n").split("/")[-1])] += 1
            tid = None
        continue
    if tid is not None and line.strip():  # first frame of a call graph
        bins[int((time - t0) / slice_s)][(tid, line.rsplit("(", 1)[-1].rstrip(")\n").split("/")[-1])] += 1
        tid = None
for b in sorted(bins):
    per_thread = collections.Counter()
    for (t, _), n in bins[b].items():
        per_thread[t] += n
    top = ", ".join(f"{t} {d} {n}" for (t, d), n in bins[b].most_common(3))
    threads = ", ".join(f"{t}: {n}" for t, n in sorted(per_thread.items()))
    print(f"{b * slice_s:7.1f} s  samples by thread {threads}  |  top: {top}")
