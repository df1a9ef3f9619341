"""Builds Geodata/mali/samples/incidents-2024-2025.csv, the embedded sample of real incidents.

The file is a byte-for-byte copy of the team's seed (shared/seed/incidents-2024-2025.csv):
every row keeps its source_url and source_title. This script copies it and checks every row;
when the seed is absent it checks the committed copy instead.

Usage: build_sample.py --out CSV --boundary GEOJSON --regions GEOJSON [--seed CSV] [--geonames TXT]
"""

import argparse
import csv
import datetime
import io
import json
import math
import os
import re
import sys
from collections import Counter

from pyproj import Geod
from shapely.geometry import Point, shape
from shapely.ops import nearest_points

import geojson_text as gj

COLUMNS = [
    "event_id", "event_date", "location", "admin1", "event_type", "actor", "fatalities",
    "fatalities_note", "source_url", "source_title", "latitude", "longitude", "geo_precision",
    "geonameid", "resolution_note",
]
FIRST_DAY, LAST_DAY = datetime.date(2024, 1, 1), datetime.date(2025, 12, 31)
# The seed's coordinates are GeoNames positions copied at 5 decimals.
GEONAMES_TOLERANCE_DEG = 1e-4
# Border towns can fall just outside a 1:1M outline (Tinzaouaten, on the Algerian border,
# is 0.5 km outside DCW); further out than this is a wrong coordinate, not generalisation.
MAX_OUTSIDE_OUTLINE_KM = 2.0
GEOD = Geod(ellps="WGS84")


def fail(line, field, message):
    sys.exit(f"line {line}, {field}: {message}")


def load_features(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    return doc["bbox"], [(ft["properties"], shape(ft["geometry"])) for ft in doc["features"]]


def geonames_positions(path):
    positions = {}
    with open(path, encoding="utf-8") as f:
        for row in f:
            cols = row.rstrip("\n").split("\t")
            positions[cols[0]] = (float(cols[4]), float(cols[5]), cols[1])
    return positions


def check(data, label, boundary_path, regions_path, geonames_path):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        sys.exit(f"{label}: not UTF-8 ({e})")
    if "\r" in text:
        sys.exit(f"{label}: has CR line endings")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames != COLUMNS:
        sys.exit(f"{label}: header is {reader.fieldnames}, expected {COLUMNS}")

    bbox, (( _, outline),) = load_features(boundary_path)
    west, south, east, north = bbox
    _, regions = load_features(regions_path)
    geonames = geonames_positions(geonames_path) if geonames_path else None

    ids, rows = set(), 0
    per_precision, per_region, outside_regions, outside_outline = Counter(), Counter(), [], []
    for row in reader:
        line = reader.line_num
        rows += 1
        if None in row or any(v is None for v in row.values()):
            fail(line, "row", f"has {len(row)} fields, expected {len(COLUMNS)}")
        eid = row["event_id"]
        if not re.fullmatch(r"MLI-\d{8}-\d+", eid):
            fail(line, "event_id", f"{eid!r} is not MLI-YYYYMMDD-n")
        if eid in ids:
            fail(line, "event_id", f"{eid} repeated")
        ids.add(eid)
        try:
            day = datetime.date.fromisoformat(row["event_date"])
        except ValueError:
            fail(line, "event_date", f"{row['event_date']!r} is not a YYYY-MM-DD date")
        if not (re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["event_date"]) and FIRST_DAY <= day <= LAST_DAY):
            fail(line, "event_date", f"{row['event_date']} is not a 2024-2025 YYYY-MM-DD date")
        if eid[4:12] != day.strftime("%Y%m%d"):
            fail(line, "event_id", f"{eid} does not carry its event_date {row['event_date']}")
        try:
            lat, lon = float(row["latitude"]), float(row["longitude"])
        except ValueError:
            fail(line, "latitude/longitude", f"{row['latitude']!r}, {row['longitude']!r} are not numbers")
        if not (math.isfinite(lat) and math.isfinite(lon)):
            fail(line, "latitude/longitude", "not finite")
        if not (west <= lon <= east and south <= lat <= north):
            fail(line, "latitude/longitude", f"({lat}, {lon}) outside Mali's bbox {bbox}")
        point = Point(lon, lat)
        if not outline.covers(point):
            q = nearest_points(outline, point)[0]
            km = GEOD.inv(lon, lat, q.x, q.y)[2] / 1000
            if km > MAX_OUTSIDE_OUTLINE_KM:
                fail(line, "latitude/longitude", f"({lat}, {lon}) is {km:.1f} km outside Mali's outline")
            outside_outline.append(f"{eid} {row['location']} ({km:.2f} km)")
        if row["geo_precision"] not in ("1", "2", "3"):
            fail(line, "geo_precision", f"{row['geo_precision']!r} is not 1, 2 or 3")
        per_precision[row["geo_precision"]] += 1
        if row["fatalities"] and not row["fatalities"].isdigit():
            fail(line, "fatalities", f"{row['fatalities']!r} is neither blank nor a count")
        if not re.fullmatch(r"https?://\S+", row["source_url"]):
            fail(line, "source_url", f"{row['source_url']!r} is not an http(s) address")
        if not row["source_title"].strip():
            fail(line, "source_title", "blank")
        if not re.fullmatch(r"[a-z_]+", row["event_type"]):
            fail(line, "event_type", f"{row['event_type']!r} is not a lower-case code")
        gid = row["geonameid"]
        if gid:
            if not gid.isdigit():
                fail(line, "geonameid", f"{gid!r} is not a number")
            if geonames is not None:
                if gid not in geonames:
                    fail(line, "geonameid", f"{gid} is not in {geonames_path}")
                glat, glon, gname = geonames[gid]
                if max(abs(glat - lat), abs(glon - lon)) > GEONAMES_TOLERANCE_DEG:
                    fail(line, "latitude/longitude", f"({lat}, {lon}) differs from GeoNames {gid} {gname} ({glat}, {glon})")
        elif not row["resolution_note"].strip():
            fail(line, "resolution_note", "blank although geonameid is blank: say where the point comes from")
        hits = [p["name"] for p, s in regions if s.covers(point)]
        if hits:
            per_region[hits[0]] += 1
        else:
            name, nearest = min(((p["name"], s) for p, s in regions), key=lambda t: t[1].distance(point))
            q = nearest_points(nearest, point)[0]
            km = GEOD.inv(lon, lat, q.x, q.y)[2] / 1000
            outside_regions.append(f"{eid} {row['location']} (nearest {name}, {km:.2f} km)")

    if rows == 0:
        sys.exit(f"{label}: no rows")
    print(f"{label}: {rows} rows, {len(ids)} distinct event_id")
    if outside_outline:
        print(f"  just outside the DCW outline ({len(outside_outline)}): " + "; ".join(outside_outline))
    print(f"  geo_precision: " + ", ".join(f"{k}: {per_precision[k]}" for k in sorted(per_precision)))
    print(f"  Natural Earth region of each point: " + ", ".join(f"{k} {v}" for k, v in sorted(per_region.items())))
    if geonames is not None:
        print(f"  coordinates agree with GeoNames ({geonames_path}) within {GEONAMES_TOLERANCE_DEG} deg")
    if outside_regions:
        print(f"  outside every Natural Earth region ({len(outside_regions)}): " + "; ".join(outside_regions))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--boundary", required=True)
    ap.add_argument("--regions", required=True)
    ap.add_argument("--seed")
    ap.add_argument("--geonames")
    a = ap.parse_args()
    if a.seed and os.path.exists(a.seed):
        with open(a.seed, "rb") as f:
            data = f.read()
        check(data, a.seed, a.boundary, a.regions, a.geonames)
        gj.write_atomically(a.out, data)
        print(f"wrote {a.out} ({len(data):,} bytes, identical to the seed)")
    else:
        print(f"no seed {('at ' + a.seed) if a.seed else 'given'}: checking {a.out} only")
        with open(a.out, "rb") as f:
            check(f.read(), a.out, a.boundary, a.regions, a.geonames)


if __name__ == "__main__":
    main()
