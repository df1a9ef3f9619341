"""Builds Geodata/africa/outline.geojson: Africa's outline from the Digital Chart of the World.

The same source as Mali's outline (build_boundary.py): GMT's DCW file (Debian package gmt-dcw),
decoded exactly as there. The countries are those DCW lists under continent AF
(dcw-countries.txt), less the remote territories that would stretch the continent's bounding
box across the Indian and South Atlantic oceans (IO British Indian Ocean Territory, TF French
Southern Territories, SH Saint Helena/Tristan da Cunha).

The union of ~57 full-resolution country outlines has hundreds of thousands of vertices, far
more than a benchmark outline needs, so the file stays small by:
  1. keeping parts of at least MIN_PART_KM2 (the mainland, Madagascar, the larger islands) and
     no holes (the union leaves only slivers between neighbouring DCW borders as holes);
  2. simplifying with Douglas-Peucker (shapely, topology-preserving) at SIMPLIFY_DEG degrees,
     about 1 km — the grid's finest cell — so a 1 km mask moves by at most about one cell.
The script prints the vertex counts and the area before and after, and checks the area.

Usage: build_africa.py DCW_NC DCW_COUNTRIES_TXT OUT_GEOJSON
"""

import sys

import shapely
from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon

import build_boundary
import geojson_text as gj

EXCLUDED = {"IO", "TF", "SH"}
MIN_PART_KM2 = 3_000.0
SIMPLIFY_DEG = 0.01
# Africa's land area is about 30.3M km²; without the small islands and territories, a little less.
AREA_RANGE_KM2 = (29.0e6, 30.6e6)
MAX_BYTES = 600_000


def african_countries(countries_txt):
    codes = []
    with open(countries_txt, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            parts = line.split()
            if parts[0] == "AF" and parts[1] not in EXCLUDED:
                codes.append(parts[1])
    return codes


def country_rings(nc_path, iso):
    """The country's DCW segments, decoded as build_boundary.py decodes Mali's; some countries
    are stored with longitudes in 0…360 (e.g. 352° for 8° W), brought to −180…180 here."""
    version, _, rings = build_boundary.segments(nc_path, iso)
    return version, [[(lon - 360 if lon > 180 else lon, lat) for lon, lat in ring] for ring in rings]


def main(nc_path, countries_txt, out_path):
    codes = african_countries(countries_txt)
    parts, raw_vertices, version = [], 0, "?"
    for iso in codes:
        version, rings = country_rings(nc_path, iso)
        for ring in rings:
            raw_vertices += len(ring)
            if len(ring) >= 4:
                parts.append(shapely.make_valid(Polygon(ring)))
    print(f"DCW-GMT {version}: {len(codes)} countries, {raw_vertices:,} positions")
    union = shapely.unary_union(parts)
    geod = Geod(ellps="WGS84")
    polygons = [g for g in getattr(union, "geoms", [union]) if g.geom_type == "Polygon"]
    kept = []
    for p in polygons:
        area_km2 = abs(geod.geometry_area_perimeter(Polygon(p.exterior))[0]) / 1e6
        if area_km2 >= MIN_PART_KM2:
            kept.append(Polygon(p.exterior))
    print(f"union: {len(polygons)} parts; kept {len(kept)} of at least {MIN_PART_KM2:,.0f} km2, holes dropped")
    full = MultiPolygon(kept)
    simplified = full.simplify(SIMPLIFY_DEG, preserve_topology=True)
    if not simplified.is_valid:
        simplified = shapely.make_valid(simplified)
    out_polys = []
    for p in getattr(simplified, "geoms", [simplified]):
        if p.geom_type != "Polygon":
            continue
        ring = gj.round_ring(list(p.exterior.coords))
        if len(ring) < 4 or ring[0] != ring[-1]:
            continue
        out_polys.append(gj.rfc7946_rings([ring]))
    vertices_before = sum(len(p.exterior.coords) - 1 for p in kept)
    vertices_after = sum(len(p[0]) - 1 for p in out_polys)
    shape = MultiPolygon([Polygon(p[0]) for p in out_polys])
    if not shape.is_valid:
        sys.exit(f"outline not valid after rounding: {shapely.is_valid_reason(shape)}")
    area_before = abs(geod.geometry_area_perimeter(full)[0]) / 1e6
    area_after = abs(geod.geometry_area_perimeter(shape)[0]) / 1e6
    print(f"vertices {vertices_before:,} -> {vertices_after:,} (Douglas-Peucker {SIMPLIFY_DEG} deg)")
    print(f"geodesic area {area_before:,.0f} km2 -> {area_after:,.0f} km2 "
          f"({(area_after - area_before) / area_before:+.3%})")
    if not AREA_RANGE_KM2[0] <= area_after <= AREA_RANGE_KM2[1]:
        sys.exit(f"area {area_after:,.0f} km2 outside {AREA_RANGE_KM2}")
    properties = {
        "name": "Africa",
        "source": f"Digital Chart of the World 1:1M, via DCW-GMT {version} (Debian package gmt-dcw, "
                  f"dcw-gmt.nc, the countries of continent AF less {', '.join(sorted(EXCLUDED))}), "
                  f"parts >= {MIN_PART_KM2:g} km2, simplified at {SIMPLIFY_DEG} deg",
        "licence": "LGPL-3.0-or-later (DCW-GMT)",
    }
    fc = gj.collection_text([gj.feature(gj.polygon_geometry(out_polys), properties, fid="AF")])
    size = len(fc.encode("utf-8"))
    if size > MAX_BYTES:
        sys.exit(f"{size:,} bytes, more than {MAX_BYTES:,}: simplify more")
    gj.write_atomically(out_path, fc)
    print(f"wrote {out_path} ({size:,} bytes)")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3])
