#!/usr/bin/env python3
"""Geodesic areas of the OCHA Mali admin-1 regions in ../shared, for GeometryRepairTests.

GeographicLib for Python (pip install geographiclib==2.1), independent of the Swift/PROJ code.
Only the computed areas are committed (out/ocha-adm1-areas.json), never the shared boundaries.
Run from this folder:  python3 make_ocha_areas.py
"""
import json
import pathlib

from geographiclib import __version__ as geographiclib_version
from geographiclib.geodesic import Geodesic

here = pathlib.Path(__file__).resolve().parent
root = here.parents[3]  # the project root (Tests/RegionRiskTests/Fixtures/geos → project)
src = root.parent / "shared" / "geodata" / "mali" / "ocha-adm1.geojson"


def ring_area_m2(ring):
    p = Geodesic.WGS84.Polygon()
    for lon, lat in ring[:-1]:
        p.AddPoint(lat, lon)
    return abs(p.Compute(False, True)[2])


def polygon_km2(rings):
    return (ring_area_m2(rings[0]) - sum(ring_area_m2(r) for r in rings[1:])) / 1e6


regions = []
for f in json.loads(src.read_text())["features"]:
    g = f["geometry"]
    polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
    regions.append({"pcode": f["properties"]["admin1Pcod"], "name": f["properties"]["admin1Name"],
                    "area_km2": sum(polygon_km2(p) for p in polys)})

out = here / "out" / "ocha-adm1-areas.json"
out.write_text(json.dumps({"generator": f"geographiclib {geographiclib_version} (Python), WGS84, "
                                        "../shared/geodata/mali/ocha-adm1.geojson",
                           "regions": regions}, indent=1) + "\n")
