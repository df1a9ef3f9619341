"""Builds Geodata/mali/regions.geojson: Mali's 9 admin-1 regions from Natural Earth.

Input: QGIS's bundled world map (Debian package qgis-common), layer `states_provinces`
(Natural Earth 10m admin-1, generalised), rows with adm0_a3 = 'MLI', read with ogr2ogr.
Natural Earth predates the regions created since 2016 (Ménaka, Taoudénit, Bandiagara,
Nioro du Sahel, ...): these are the 8 historical regions plus the Bamako district.

Usage: build_regions.py --gpkg WORLD_MAP_GPKG --boundary BOUNDARY_GEOJSON --out OUT_GEOJSON
                        [--geonames GEONAMES_ML_TXT]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

import shapely
from pyproj import Geod
from shapely.geometry import Point, Polygon, shape
from shapely.ops import nearest_points

import geojson_text as gj

LAYER = "states_provinces"
EXPECTED = ["Kayes", "Koulikoro", "Sikasso", "Ségou", "Mopti", ("Tombouctou", "Timbuktu"), "Gao", "Kidal", "Bamako"]
GOGUI = (-9.330, 15.686)
MAX_OVERLAP_KM2 = 0.01   # neighbouring regions share edges; anything more is an overlap
GEOD = Geod(ellps="WGS84")


def package_version(name):
    try:
        return subprocess.run(["dpkg-query", "-W", "-f", "${Version}", name],
                              check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown version"


def natural_earth_version(gpkg):
    """The Natural Earth release QGIS built world_map.gpkg from, as its README states."""
    readme = os.path.join(os.path.dirname(gpkg), "README_world_map.md")
    try:
        with open(readme, encoding="utf-8") as f:
            m = re.search(r"Admin 1 . States, Provinces (v[\d.]+)", f.read())
    except OSError:
        m = None
    return m.group(1) if m else "(version not stated)"


def ascii_name(name):
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    if not folded.isascii():
        sys.exit(f"cannot fold {name!r} to ASCII")
    return folded


def read_mali(gpkg):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "mali.geojson")
        subprocess.run(
            ["ogr2ogr", "-f", "GeoJSON", out, gpkg,
             "-sql", f"SELECT name, fips, gn_name, geom FROM {LAYER} WHERE adm0_a3 = 'MLI' ORDER BY fips",
             "-lco", "COORDINATE_PRECISION=15", "-lco", "RFC7946=NO"],
            check=True)
        with open(out, encoding="utf-8") as f:
            return json.load(f)["features"]


def km2(geom):
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def geonames_admin1(path):
    """GeoNames ADM1 names by admin1 code, from a country dump (19 tab-separated columns)."""
    names = {}
    with open(path, encoding="utf-8") as f:
        for row in f:
            cols = row.rstrip("\n").split("\t")
            if cols[7] == "ADM1":
                names[cols[10]] = cols[2]   # asciiname
    return names


def main(gpkg, boundary_path, out_path, geonames_path=None):
    features = read_mali(gpkg)
    print(f"{gpkg} layer {LAYER}: {len(features)} Mali features")
    if len(features) != 9:
        sys.exit(f"expected 9 Mali regions in {LAYER}, found {len(features)}")

    names = [f["properties"]["name"] for f in features]
    for want in EXPECTED:
        options = want if isinstance(want, tuple) else (want,)
        found = [o for o in options if o in names]
        if not found:
            sys.exit(f"no region named {' or '.join(options)} in {names}")
        if len(options) > 1:
            print(f"Natural Earth spells {' / '.join(options)} as {found[0]!r}")

    qgis = package_version("qgis-common")
    ne_version = natural_earth_version(gpkg)
    out_features, shapes = [], []
    for f in features:
        p = f["properties"]
        code = p["fips"]
        if not re.fullmatch(r"ML\d\d", code or ""):
            sys.exit(f"region {p['name']!r} has an unexpected code {code!r}")
        g = f["geometry"]
        parts = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        polygons = []
        for part in parts:
            rings = [gj.round_ring(r) for r in part]
            for r in rings:
                if len(r) < 4 or r[0] != r[-1]:
                    sys.exit(f"{p['name']}: a ring is open or degenerate after rounding")
            polygons.append(gj.rfc7946_rings(rings))
        geom = shapely.MultiPolygon([Polygon(q[0], q[1:]) for q in polygons])
        if not geom.is_valid:
            sys.exit(f"{p['name']}: polygon not valid after rounding: {shapely.is_valid_reason(geom)}")
        shapes.append((p["name"], geom))
        properties = {
            "code": code,
            "name": p["name"],
            "name_ascii": ascii_name(p["name"]),
            "name_geonames": p["gn_name"],
            # GeoNames' admin1 codes for Mali are the FIPS 10-4 digits (01 Bamako ... 10 Kidal).
            "geonames_admin1": code[2:],
            "source": f"Natural Earth 10m Admin 1 {ne_version}, generalised by QGIS "
                      f"(world_map.gpkg layer {LAYER}, Debian package qgis-common {qgis})",
            "licence": "public domain (Natural Earth)",
        }
        vertices = sum(len(r) - 1 for q in polygons for r in q)
        print(f"  {code} {p['name']:<10} {vertices:4d} vertices {km2(geom):>10,.0f} km2")
        out_features.append(gj.feature(gj.polygon_geometry(polygons), properties, fid=code))

    if geonames_path:
        adm1 = geonames_admin1(geonames_path)
        for f in out_features:
            p = f["properties"]
            if adm1.get(p["geonames_admin1"]) != p["name_geonames"]:
                sys.exit(f"{p['code']}: GeoNames admin1 {p['geonames_admin1']} is "
                         f"{adm1.get(p['geonames_admin1'])!r}, not {p['name_geonames']!r}")
        print(f"geonames_admin1 codes agree with the ADM1 names in {geonames_path}")

    for i, (a, x) in enumerate(shapes):
        for b, y in shapes[i + 1:]:
            overlap = km2(x.intersection(y)) if x.intersects(y) else 0.0
            if overlap > MAX_OVERLAP_KM2:
                sys.exit(f"{a} and {b} overlap by {overlap:.3f} km2")

    union = shapely.union_all([s for _, s in shapes])
    with open(boundary_path, encoding="utf-8") as f:
        dcw = shape(json.load(f)["features"][0]["geometry"])
    print(f"regions together: {km2(union):,.0f} km2; DCW outline: {km2(dcw):,.0f} km2; "
          f"DCW only: {km2(dcw.difference(union)):,.0f} km2; regions only: {km2(union.difference(dcw)):,.0f} km2")

    gogui = Point(GOGUI)
    inside = [n for n, s in shapes if s.contains(gogui)]
    nearest_name, nearest = min(shapes, key=lambda t: t[1].distance(gogui))
    q = nearest_points(nearest, gogui)[0]
    dist_km = GEOD.inv(GOGUI[0], GOGUI[1], q.x, q.y)[2] / 1000
    print(f"Gogui {GOGUI}: in DCW outline {dcw.contains(gogui)}, in regions {inside or 'none'}; "
          f"nearest region {nearest_name}, {dist_km:.2f} km away")
    # SOURCES.md documents this; fail loudly if a new release makes it untrue.
    if inside or nearest_name != "Kayes" or not dcw.contains(gogui):
        sys.exit("Gogui is no longer inside DCW and outside every region nearest Kayes: update SOURCES.md")

    text = gj.collection_text(out_features)
    gj.write_atomically(out_path, text)
    print(f"wrote {out_path} ({len(text.encode('utf-8')):,} bytes)")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gpkg", required=True)
    ap.add_argument("--boundary", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--geonames")
    a = ap.parse_args()
    main(a.gpkg, a.boundary, a.out, a.geonames)
