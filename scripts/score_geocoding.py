#!/usr/bin/env python3
"""Scores `regionrisk geocode --file QUERIES --json` output against the test set's truth.

Usage:
  regionrisk geocode --file Tests/RegionRiskTests/Fixtures/gazetteer/in/geocoding-queries.txt --json \\
    | python3 scripts/score_geocoding.py Tests/RegionRiskTests/Fixtures/gazetteer/out/geocoding-truth.tsv [--misses]

Prints, per part and overall: answers within 10 km of the truth (an unresolved name counts as a
miss), and how often answers at confidence >= 0.9 are within 10 km; "decidable" is the subset whose
name and region can single the place out (see make_geocoding_testset.py). Then a reliability table:
per confidence band, how many answers fall in it and how many of them are within 10 km (a
calibrated confidence has its band's hit rate at or above the band's lower edge). Then the misses
by cause, each miss counted once, under the first cause that fits:
  undecidable      the truth row is not decidable (a namesake in the same region, a row coded near
                   a place or to a region): no (name, admin1) lookup can place it
  unresolved       nothing matched
  namesake         a place of the very name, another one (outside the hint: "elsewhere")
  reading          the name was read without a qualifier ("read ... as ...") and that went wrong
  fuzzy            a near-miss spelling of another place's name
  other            anything else
With --misses, every miss is listed with its cause. Distances: haversine on the mean Earth sphere
(6371.0088 km).
"""
import json
import math
import sys
import unicodedata

BANDS = [(0.0, 0.3), (0.3, 0.5), (0.5, 0.6), (0.6, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.0001)]


def km(lat1, lon1, lat2, lon2):
    r = math.pi / 180
    h = math.sin((lat2 - lat1) * r / 2) ** 2 + math.cos(lat1 * r) * math.cos(lat2 * r) * math.sin((lon2 - lon1) * r / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1, math.sqrt(h)))


def fold(s):
    d = unicodedata.normalize("NFKD", s)
    return "".join(c for c in d if not unicodedata.combining(c)).lower()


def truth_name(t):
    """The true place's name where the truth row records it ("P.PPL Sokoura; 2 namesakes…")."""
    note = t[7]
    if t[1] == "perturbed" and " " in note:
        return note.split(" ", 1)[1].split(";")[0]
    if t[1] == "namesakes":
        return None  # the query is the name itself
    return None


def cause(t, r):
    m = r.get("match")
    if t[6] != "1":
        return "undecidable"
    if not m:
        return "unresolved"
    name = truth_name(t) or r["name"]
    if fold(m["name"]) == fold(name) or fold(m.get("matched_name", "")) == fold(name):
        return "namesake elsewhere" if any("outside the hinted" in n for n in r.get("notes", [])) else "namesake"
    if any(n.startswith("read ") for n in r.get("notes", [])):
        return "reading"
    if m.get("match_kind") == "fuzzy":
        return "fuzzy"
    return "other"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        truth = [line.rstrip("\n").split("\t") for line in f][1:]
    results = json.load(sys.stdin)
    if len(results) != len(truth):
        sys.exit(f"{len(results)} answers for {len(truth)} queries: the output does not match the truth file")
    stats = {}
    bands = [[0, 0] for _ in BANDS]
    causes = {}
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
        if m:
            for i, (lo, hi) in enumerate(BANDS):
                if lo <= conf < hi:
                    bands[i][0] += 1
                    bands[i][1] += ok
        if not ok:
            c = cause(t, r)
            causes.setdefault(c, {}).setdefault(part, 0)
            causes[c][part] += 1
            misses.append(f"  [{c}] {r['query']!r} -> {m['name'] + ' ' + (m.get('admin1') or '') if m else 'unresolved'}"
                          f" {'' if d is None else f'{d:.0f} km'} conf {conf} [{t[2]}; {t[7]}]")
    for key in ("sample", "perturbed", "namesakes", "all", "decidable"):
        if key in stats:
            n, ok, hi, hi_ok = stats[key]
            print(f"{key:10s} {n:4d} queries  within 10 km {ok:4d} ({100 * ok / n:5.1f}%)  "
                  f"conf>=0.9: {hi:4d}, of which within 10 km {hi_ok:4d} ({100 * hi_ok / hi if hi else 0:5.1f}%)")
    print("\nreliability (resolved answers by confidence band)")
    print("  band          answers  within 10 km")
    for (lo, hi), (n, ok) in zip(BANDS, bands):
        label = f"[{lo:.2f}, {min(hi, 1.0):.2f}{']' if hi > 1 else ')'}"
        print(f"  {label:13s} {n:7d}  {ok:5d} ({100 * ok / n if n else 0:5.1f}%)")
    print("\nmisses by cause")
    for c in ("undecidable", "unresolved", "namesake", "namesake elsewhere", "reading", "fuzzy", "other"):
        if c in causes:
            parts = ", ".join(f"{p} {n}" for p, n in sorted(causes[c].items()))
            print(f"  {c:19s} {sum(causes[c].values()):4d}  ({parts})")
    if "--misses" in sys.argv:
        print()
        print("\n".join(sorted(misses)))


if __name__ == "__main__":
    main()
