#!/usr/bin/env python3
"""Scores `regionrisk geocode --file QUERIES --json` output against the test set's truth.

Usage:
  regionrisk geocode --file Tests/RegionRiskTests/Fixtures/gazetteer/in/geocoding-queries.txt --json \\
    | python3 scripts/score_geocoding.py Tests/RegionRiskTests/Fixtures/gazetteer/out/geocoding-truth.tsv [--misses]

Prints, per part and overall: answers within 10 km of the truth (an unresolved name counts as a
miss), and how often answers at confidence >= 0.9 are within 10 km; "decidable" is the subset whose
name and region can single the place out (see make_geocoding_testset.py). Distances: haversine on the
mean Earth sphere (6371.0088 km).
"""
import json
import math
import sys


def km(lat1, lon1, lat2, lon2):
    r = math.pi / 180
    h = math.sin((lat2 - lat1) * r / 2) ** 2 + math.cos(lat1 * r) * math.cos(lat2 * r) * math.sin((lon2 - lon1) * r / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1, math.sqrt(h)))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        truth = [line.rstrip("\n").split("\t") for line in f][1:]
    results = json.load(sys.stdin)
    if len(results) != len(truth):
        sys.exit(f"{len(results)} answers for {len(truth)} queries: the output does not match the truth file")
    stats = {}
    misses = []
    for t, r in zip(truth, results):
        part = t[1]
        lat, lon = float(t[3]), float(t[4])
        m = r.get("match")
        d = km(lat, lon, m["lat"], m["lon"]) if m else None
        ok = d is not None and d <= 10
        conf = r.get("confidence", 0)
        keys = (part, "all") + (("decidable",) if t[6] == "1" else ())
        for key in keys:
            s = stats.setdefault(key, [0, 0, 0, 0])
            s[0] += 1
            s[1] += ok
            if m and conf >= 0.9:
                s[2] += 1
                s[3] += ok
        if not ok:
            misses.append(f"  {r['query']!r} -> {m['name'] + ' ' + m.get('admin1', '') if m else 'unresolved'}"
                          f" {'' if d is None else f'{d:.0f} km'} conf {conf} [{t[2]}; {t[7]}]")
    for key in ("sample", "perturbed", "namesakes", "all", "decidable"):
        if key in stats:
            n, ok, hi, hi_ok = stats[key]
            print(f"{key:10s} {n:4d} queries  within 10 km {ok:4d} ({100 * ok / n:5.1f}%)  "
                  f"conf>=0.9: {hi:4d}, of which within 10 km {hi_ok:4d} ({100 * hi_ok / hi if hi else 0:5.1f}%)")
    if "--misses" in sys.argv:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
