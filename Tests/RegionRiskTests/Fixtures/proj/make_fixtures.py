#!/usr/bin/env python3
"""Reference values for Tests/RegionRiskTests/PROJ, computed by tools independent of our wrappers.

- geodesic.json: GeographicLib for Python (pip install geographiclib==2.1), Karney's own pure-Python
  implementation, not the C code in PROJ's geodesic.h that the Swift side calls.
- laea-cs2cs.json: PROJ's cs2cs command line (apt-get install proj-bin, PROJ 9.1.1) with EPSG:4326 in
  its authority axis order (latitude first), so the fixture also checks that the Swift side
  normalises to (lon, lat).

Run from this folder:  python3 make_fixtures.py
"""
import json
import subprocess

from geographiclib import __version__ as geographiclib_version
from geographiclib.geodesic import Geodesic

g = Geodesic.WGS84

# (name, lon1, lat1, lon2, lat2)
PAIRS = [
    ("JFK to LHR", -73.7789, 40.6398, -0.4543, 51.4700),
    ("JFK to SIN (Karney 2013 example)", -73.78, 40.64, 103.99, 1.36),
    ("Bamako to Timbuktu", -8.0029, 12.6392, -3.0074, 16.7735),
    ("along the equator, 1 degree", 0.0, 0.0, 1.0, 0.0),
    ("along a meridian, equator to pole", 10.0, 0.0, 10.0, 90.0),
    ("nearly antipodal (Karney 2013)", 0.0, -30.0, 179.8, 29.9),
    ("short, 10 m class", -2.0, 17.0, -2.0001, 17.0001),
]
inverse = []
for name, lon1, lat1, lon2, lat2 in PAIRS:
    r = g.Inverse(lat1, lon1, lat2, lon2)
    inverse.append({"name": name, "from": [lon1, lat1], "to": [lon2, lat2],
                    "distance_m": r["s12"], "azimuth1_deg": r["azi1"], "azimuth2_deg": r["azi2"]})

# (lon, lat, azimuth, distance m)
DIRECT = [(-8.0029, 12.6392, 45.0, 500_000.0), (0.0, 0.0, 90.0, 10_000_000.0), (-2.0, 17.0, 200.0, 1234.5)]
direct = []
for lon1, lat1, azi, s in DIRECT:
    r = g.Direct(lat1, lon1, azi, s)
    direct.append({"from": [lon1, lat1], "azimuth_deg": azi, "distance_m": s, "to": [r["lon2"], r["lat2"]]})


def ring_area_m2(ring):
    p = g.Polygon()
    for lon, lat in ring:
        p.AddPoint(lat, lon)
    _, _, area = p.Compute(False, True)
    return abs(area)


# (name, rings as [lon, lat], exterior first). Edges are geodesics in both implementations.
POLYGONS = [
    ("1x1 degree cell at the equator", [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]),
    ("1x1 degree cell at 60N", [[[10, 60], [11, 60], [11, 61], [10, 61], [10, 60]]]),
    ("Mali-sized box with a hole", [
        [[-12, 10], [4, 10], [4, 25], [-12, 25], [-12, 10]],
        [[-5, 14], [-5, 16], [-3, 16], [-3, 14], [-5, 14]],
    ]),
]
areas = []
for name, rings in POLYGONS:
    a = ring_area_m2(rings[0]) - sum(ring_area_m2(h) for h in rings[1:])
    areas.append({"name": name, "rings": rings, "area_km2": a / 1e6})

with open("geodesic.json", "w") as f:
    json.dump({"generator": f"geographiclib {geographiclib_version} (Python), WGS84",
               "inverse": inverse, "direct": direct, "area": areas}, f, indent=1)
    f.write("\n")

# LAEA centred on Mali, as Projection.laeaDefinition(centeredOn: LonLat(-2, 17)) writes it.
LAEA = "+proj=laea +lat_0=17.0 +lon_0=-2.0 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs +type=crs"
POINTS = [(-2.0, 17.0), (-8.0029, 12.6392), (-3.0074, 16.7735), (4.2, 20.1), (-12.2, 10.2), (30.0, 45.0), (-70.0, -30.0)]
text = "".join(f"{lat!r} {lon!r}\n" for lon, lat in POINTS)
out = subprocess.run(["cs2cs", "-f", "%.6f", "EPSG:4326", "+to", *LAEA.split()], input=text,
                     capture_output=True, text=True, check=True).stdout.split("\n")
version = subprocess.run(["cs2cs"], capture_output=True, text=True).stderr.split("\n")[0]
laea = []
for (lon, lat), line in zip(POINTS, out):
    x, y, _ = line.split()
    laea.append({"lonlat": [lon, lat], "xy": [float(x), float(y)]})
# And back: projected metres to latitude-first EPSG:4326.
XY = [(0.0, 0.0), (-652235.0, -473088.0), (1_200_000.0, 900_000.0), (-2_500_000.0, 3_000_000.0)]
text = "".join(f"{x!r} {y!r}\n" for x, y in XY)
out = subprocess.run(["cs2cs", "-f", "%.12f", *LAEA.split(), "+to", "EPSG:4326"], input=text,
                     capture_output=True, text=True, check=True).stdout.split("\n")
laea_inverse = []
for (x, y), line in zip(XY, out):
    lat, lon, _ = line.split()
    laea_inverse.append({"xy": [x, y], "lonlat": [float(lon), float(lat)]})
with open("laea-cs2cs.json", "w") as f:
    json.dump({"generator": f"cs2cs ({version.strip()}) EPSG:4326 +to {LAEA}, and the reverse", "crs": LAEA,
               "points": laea, "inverse": laea_inverse}, f, indent=1)
    f.write("\n")
