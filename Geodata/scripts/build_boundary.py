"""Builds Geodata/mali/boundary.geojson: Mali's outline from the Digital Chart of the World.

Input: GMT's DCW file (Debian package gmt-dcw), variables ML_lon / ML_lat. They are
unsigned 16-bit integers; GMT decodes them (gmt_dcw.c) as

    degrees = value / scale + min        (attributes `scale` and `min` of each variable)

and a longitude of 65535 marks the start of a new segment (polygon ring).

Usage: build_boundary.py DCW_NC OUT_GEOJSON
"""

import sys

import netCDF4
import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import Point, Polygon

import geojson_text as gj

ISO = "ML"
EXPECTED_AREA_KM2 = 1_250_249.0   # geodesic area on WGS 84 of the DCW outline
AREA_TOLERANCE = 0.005            # 0.5 %
VERTEX_RANGE = (4_000, 4_300)     # "about 4,100" positions in DCW-GMT 2.1.1, before de-duplication
SEGMENT_MARK = 65535
# Gogui (Kayes / Nioro du Sahel), a town on the Mauritanian border that the coarser Natural
# Earth regions leave outside Mali; the DCW outline must contain it.
GOGUI = (-9.330, 15.686)


def decode(var):
    raw = np.asarray(var[:], dtype=np.uint32)
    scale = float(var.getncattr("scale"))
    minimum = float(var.getncattr("min"))
    return raw, scale, minimum


def segments(nc_path, iso=ISO):
    ds = netCDF4.Dataset(nc_path)
    ds.set_auto_maskandscale(False)   # decode by hand, exactly as GMT does
    try:
        version = ds.getncattr("version")
        xraw, xscale, xmin = decode(ds[f"{iso}_lon"])
        yraw, yscale, ymin = decode(ds[f"{iso}_lat"])
    finally:
        ds.close()
    if len(xraw) != len(yraw):
        sys.exit(f"{nc_path}: {iso}_lon has {len(xraw)} values but {iso}_lat {len(yraw)}")
    rings, current = [], None
    for xv, yv in zip(xraw, yraw):
        if xv == SEGMENT_MARK:
            current = []
            rings.append(current)
            continue
        if current is None:
            sys.exit(f"{nc_path}: {iso}_lon does not start with the segment mark {SEGMENT_MARK}")
        current.append((xv / xscale + xmin, yv / yscale + ymin))
    return version, len(xraw), rings


def main(nc_path, out_path):
    version, n_raw, rings = segments(nc_path)
    print(f"DCW-GMT {version}: {n_raw} values in {ISO}_lon/{ISO}_lat, {len(rings)} segment(s)")

    positions = sum(len(r) for r in rings)
    print(f"positions in the source (closing positions included): {positions}")
    if not VERTEX_RANGE[0] <= positions <= VERTEX_RANGE[1]:
        sys.exit(f"{positions} positions, outside the expected {VERTEX_RANGE}: a different DCW release?")

    polygons = []
    for n, ring in enumerate(rings):
        if ring[0] != ring[-1]:
            sys.exit(f"{nc_path}: segment {n} of {ISO} is not closed: starts {ring[0]}, ends {ring[-1]}")
        ring = gj.round_ring(ring)
        if len(ring) < 4 or ring[0] != ring[-1]:
            sys.exit(f"segment {n}: fewer than 4 positions or not closed after rounding")
        polygons.append([ring])

    # DCW gives each segment as its own outer ring; a segment inside another would be a hole.
    shapes = [Polygon(p[0]) for p in polygons]
    for i, a in enumerate(shapes):
        for j, b in enumerate(shapes):
            if i != j and a.intersects(b):
                sys.exit(f"segments {i} and {j} intersect; holes/overlaps are not handled")
    polygons = [gj.rfc7946_rings(p) for p in polygons]

    # The 16-bit quantisation makes some neighbouring source points identical; they go.
    vertices = sum(len(r) - 1 for p in polygons for r in p)
    print(f"distinct vertices written (closing positions not counted): {vertices}")

    shape = shapely.MultiPolygon([Polygon(p[0], p[1:]) for p in polygons])
    if not shape.is_valid:
        sys.exit(f"outline not valid after rounding: {shapely.is_valid_reason(shape)}")
    for p in polygons:
        if gj.planar_signed_area(p[0]) <= 0:
            sys.exit("an exterior ring is not counter-clockwise")

    geod = Geod(ellps="WGS84")
    area_m2, perimeter_m = geod.geometry_area_perimeter(shape)
    area_km2 = area_m2 / 1e6
    print(f"geodesic area (WGS 84): {area_km2:,.1f} km2; perimeter {perimeter_m / 1000:,.1f} km")
    if abs(area_km2 - EXPECTED_AREA_KM2) > AREA_TOLERANCE * EXPECTED_AREA_KM2:
        sys.exit(f"area {area_km2:,.1f} km2 is not within 0.5% of {EXPECTED_AREA_KM2:,.0f} km2")

    if not shape.contains(Point(GOGUI)):
        sys.exit(f"Gogui {GOGUI} is outside the DCW outline")
    print(f"Gogui {GOGUI}: inside the DCW outline")

    properties = {
        "name": "Mali",
        "iso": ISO,
        "source": f"Digital Chart of the World 1:1M, via DCW-GMT {version} "
                  f"(Debian package gmt-dcw, dcw-gmt.nc, variables {ISO}_lon/{ISO}_lat)",
        "licence": "LGPL-3.0-or-later (DCW-GMT)",
    }
    fc = gj.collection_text([gj.feature(gj.polygon_geometry(polygons), properties, fid=ISO)])
    gj.write_atomically(out_path, fc)
    print(f"wrote {out_path} ({len(fc.encode('utf-8')):,} bytes)")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
