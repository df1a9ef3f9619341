#!/usr/bin/env python3
"""Builds the embedded compact Mali gazetteer, Geodata/mali/gazetteer/ML-gazetteer.tsv.

Input: the GeoNames country dump for Mali (ML.txt, 19 columns, CC BY 4.0), by default
../shared/geodata/mali/geonames-ML.txt beside the project; the embedded admin-1 regions
(Geodata/mali/regions.geojson, Natural Earth, public domain) and, to name each place's cercle,
the OCHA COD-AB admin-2 boundaries (../shared/geodata/mali/ocha-adm2.geojson). The OCHA file
is only read: no boundary is written, only the cercle *name* each place falls in.

What goes in (the localities conflict reporting names):
  every populated place (class P), administrative areas (A: ADM1-ADM4), and the spots, areas,
  wells and relief features reports use: camps, airports, forts, mines, dams (S.CMP, S.AIRP,
  S.FT, S.MN, S.MNN, S.DAM), localities, areas, regions, reserved forests (L.LCTY, L.AREA,
  L.RGN, L.RGNL, L.RESF), wells and waterholes (H.WLL, H.WLLQ, H.WTRH), mountains and passes
  (T.MT, T.MTS, T.PASS).

Columns (tab-separated, UTF-8, '#' lines are comments):
  geonameid, name, asciiname (empty when equal to name), alternate names (comma-separated:
  Latin-script only, without those that fold to the name or ASCII name), latitude, longitude
  (5 decimals, as GeoNames), feature class.code, admin-1 code derived from the point against
  the embedded regions (GeoNames codes 01, 03..10), GeoNames' own admin-1 code when it differs
  (00 unknown, the newer regions Taoudenit 12070575 and Menaka 12070577), the cercle (OCHA
  admin-2 name) the point lies in, population.

A point outside every polygon (border places, coarse outlines) takes the nearest polygon when it
is at most 25 km away (the script prints the largest such distance); farther out the point is not
in Mali (a few GeoNames villages have a flipped longitude sign) and GeoNames' code stands. Deterministic output:
rows sorted by geonameid, no timestamps. Pure Python 3 (no third-party packages).

Usage: python3 Geodata/scripts/build_mali_gazetteer.py [--geonames ML.txt] [--adm2 ocha-adm2.geojson]
                                                        [--out Geodata/mali/gazetteer/ML-gazetteer.tsv]
"""
import argparse
import json
import math
import os
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.normpath(os.path.join(HERE, "..", ".."))
SHARED = os.environ.get("REGIONRISK_SHARED", os.path.join(PROJECT, "..", "shared"))

KEPT = {
    "A": {"ADM1", "ADM2", "ADM3", "ADM4"},
    "S": {"CMP", "AIRP", "FT", "MN", "MNN", "DAM"},
    "L": {"LCTY", "AREA", "RGN", "RGNL", "RESF"},
    "H": {"WLL", "WLLQ", "WTRH"},
    "T": {"MT", "MTS", "PASS"},
}
# Natural Earth FIPS code (regions.geojson `code`) -> GeoNames admin-1 code.
OUTSIDE_KM = 25.0
FIPS_TO_GEONAMES = {"ML01": "01", "ML03": "03", "ML04": "04", "ML05": "05", "ML06": "06",
                    "ML07": "07", "ML08": "08", "ML09": "09", "ML10": "10"}


def fail(msg):
    sys.exit(f"build_mali_gazetteer: {msg}")


def polygons_of(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    fail(f"unexpected geometry {geometry['type']}")


def ring_contains(ring, x, y):
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def polygon_contains(poly, x, y):
    return ring_contains(poly[0], x, y) and not any(ring_contains(h, x, y) for h in poly[1:])


def segment_km(px, py, ax, ay, bx, by):
    # Local equirectangular projection around the point: plenty for "which polygon is nearest".
    k = math.cos(math.radians(py))
    ax, bx, qx = (ax - px) * k, (bx - px) * k, 0.0
    ay, by = ay - py, by - py
    dx, dy = bx - ax, by - ay
    t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / (dx * dx + dy * dy)))
    cx, cy = ax + t * dx, ay + t * dy
    return math.hypot(cx - qx, cy) * 111.195


class Layer:
    """Polygons with a label; point lookup with a bounding-box prefilter, nearest as fallback."""

    def __init__(self, features):
        self.items = []
        for label, geometry in features:
            polys = polygons_of(geometry)
            xs = [p[0] for poly in polys for p in poly[0]]
            ys = [p[1] for poly in polys for p in poly[0]]
            self.items.append((label, polys, (min(xs), min(ys), max(xs), max(ys))))

    def locate(self, x, y):
        for label, polys, (x0, y0, x1, y1) in self.items:
            if x0 <= x <= x1 and y0 <= y <= y1 and any(polygon_contains(p, x, y) for p in polys):
                return label, 0.0
        best = None
        for label, polys, _ in self.items:
            for poly in polys:
                for ring in poly:
                    for a, b in zip(ring, ring[1:]):
                        d = segment_km(x, y, a[0], a[1], b[0], b[1])
                        if best is None or d < best[1]:
                            best = (label, d)
        return best


def fold(s):
    d = unicodedata.normalize("NFKD", s)
    out = "".join(c for c in d if not unicodedata.combining(c)).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in out).split())


def is_latin(s):
    for c in s:
        if c.isalpha():
            try:
                if not unicodedata.name(c).startswith("LATIN"):
                    return False
            except ValueError:
                return False
    return True


def clean(field):
    return " ".join(str(field).split())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--geonames", default=os.path.join(SHARED, "geodata", "mali", "geonames-ML.txt"))
    ap.add_argument("--adm2", default=os.path.join(SHARED, "geodata", "mali", "ocha-adm2.geojson"))
    ap.add_argument("--regions", default=os.path.join(PROJECT, "Geodata", "mali", "regions.geojson"))
    ap.add_argument("--out", default=os.path.join(PROJECT, "Geodata", "mali", "gazetteer", "ML-gazetteer.tsv"))
    args = ap.parse_args()
    for path in (args.geonames, args.adm2, args.regions):
        if not os.path.isfile(path):
            fail(f"{path}: not found (set REGIONRISK_SHARED to the team's shared folder)")

    with open(args.regions, encoding="utf-8") as f:
        regions = Layer([(FIPS_TO_GEONAMES[ft["properties"]["code"]], ft["geometry"]) for ft in json.load(f)["features"]])
    with open(args.adm2, encoding="utf-8") as f:
        adm2 = json.load(f)["features"]
    if len(adm2) != 50:
        fail(f"{args.adm2}: expected the 50 OCHA cercles, found {len(adm2)}")
    cercles = Layer([(ft["properties"]["admin2Name"], ft["geometry"]) for ft in adm2])

    rows = []
    outside = []
    counts = {}
    relabelled = {"unknown": 0, "disagreeing": 0}
    farthest = {"region": (0.0, None), "cercle": (0.0, None)}
    with open(args.geonames, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 19:
                fail(f"{args.geonames}, line {n}: {len(cols)} columns, expected 19")
            gid, name, ascii_name, alternates, lat, lon, fclass, fcode = cols[:8]
            admin1, population = cols[10], cols[14]
            if fclass != "P" and fcode not in KEPT.get(fclass, ()):
                continue
            try:
                x, y = float(lon), float(lat)
                pop = int(population or 0)
                int(gid)
            except ValueError:
                fail(f"{args.geonames}, line {n}: geonameid, latitude, longitude or population is not a number")
            region, dr = regions.locate(x, y)
            cercle, dc = cercles.locate(x, y)
            if dr > OUTSIDE_KM:
                # Not in Mali at all (GeoNames has a few villages with a flipped longitude sign):
                # the point says nothing about the region, so GeoNames' code stands.
                region, cercle = ("" if admin1 == "00" else admin1), ""
                outside.append(f"{gid} {name} ({dr:.0f} km)")
            else:
                for kind, d in (("region", dr), ("cercle", dc)):
                    if d > farthest[kind][0]:
                        farthest[kind] = (d, f"{gid} {name}")
            source_admin1 = "" if admin1 == region else admin1
            if source_admin1:
                relabelled["unknown" if admin1 in ("", "00") else "disagreeing"] += 1
            names = {fold(name), fold(ascii_name)}
            alts = []
            for a in alternates.split(","):
                a = clean(a)
                k = fold(a)
                if not a or not k or k in names or not is_latin(a) or a.startswith("http"):
                    continue
                names.add(k)
                alts.append(a)
            ascii_out = "" if ascii_name == name else clean(ascii_name)
            rows.append((int(gid), "\t".join([
                gid, clean(name), ascii_out, ",".join(alts), lat, lon, f"{fclass}.{fcode}",
                region, source_admin1, cercle, str(max(0, pop))])))
            counts[fclass] = counts.get(fclass, 0) + 1
    rows.sort()
    tmp = args.out + ".tmp"
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(tmp, "w", encoding="utf-8", newline="\n") as out:
        out.write("# Compact Mali gazetteer derived from the GeoNames dump ML.txt (https://www.geonames.org), CC BY 4.0.\n")
        out.write("# Rebuilt by Geodata/scripts/build_mali_gazetteer.py; admin-1 from Natural Earth regions, cercle from OCHA COD-AB admin-2 (names only).\n")
        out.write("# geonameid\tname\tasciiname\talternatenames\tlatitude\tlongitude\tclass.code\tadmin1\tgeonames_admin1\tcercle\tpopulation\n")
        for _, r in rows:
            out.write(r + "\n")
    os.replace(tmp, args.out)
    print(f"wrote {len(rows)} places ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}) to {os.path.relpath(args.out, PROJECT)}, "
          f"{os.path.getsize(args.out):,} bytes")
    print(f"admin-1 relabelled from the point: {relabelled['unknown']} with code 00/empty, {relabelled['disagreeing']} disagreeing")
    print(f"{len(outside)} places farther than {OUTSIDE_KM:.0f} km outside every region keep GeoNames' admin-1: {', '.join(outside)}")
    for kind, (d, who) in farthest.items():
        print(f"farthest point outside every {kind}: {d:.2f} km ({who})")


if __name__ == "__main__":
    main()
