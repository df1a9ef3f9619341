"""Reference Getis-Ord Gi* z-scores from PySAL esda, for points, a masked grid and a space-time cube.

Run from this folder:  python3 make_gistar_fixtures.py
Needs: esda, libpysal, numpy, pymannkendall.  Writes ../out/gistar.json.
Every z-score is esda.G_Local(y, w, star=True, transform="B", permutations=0).Zs, i.e. binary
weights with the focal location given weight 1 by esda itself.
"""
import json
import os
import warnings

import esda
import libpysal
import numpy as np
import pymannkendall as mk
from libpysal.weights import W, DistanceBand

warnings.simplefilter("ignore")  # islands / deprecation chatter
rng = np.random.default_rng(5)
out = {"generator": f"esda {esda.__version__}, libpysal {libpysal.__version__}, pymannkendall {mk.__version__}"}


def gi_star(y, w):
    return esda.G_Local(np.asarray(y, dtype=float), w, star=True, transform="B", permutations=0).Zs


# 1. Scattered points (km), clustered values, several distance bands.
pts = rng.uniform(0, 100, size=(150, 2))
hot = np.linalg.norm(pts - np.array([30.0, 70.0]), axis=1) < 15
values = rng.poisson(1.0, size=150) + hot * rng.poisson(6.0, size=150)
point_sets = []
for band in [7.5, 12.0, 20.0, 45.0]:
    w = DistanceBand(pts, threshold=band, binary=True, silence_warnings=True)
    point_sets.append({"distanceBand": band, "z": [float(v) for v in gi_star(values, w)]})
out["points"] = {"x": [float(v) for v in pts[:, 0]], "y": [float(v) for v in pts[:, 1]],
                 "values": [float(v) for v in values], "bands": point_sets}

# 2. A masked regular grid, cell size 5 km: esda on the masked cells' centres must equal the grid form.
nx, ny, cell = 23, 17, 5.0
yy, xx = np.mgrid[0:ny, 0:nx]
mask = ((xx - 11) ** 2 / 11.5 ** 2 + (yy - 8) ** 2 / 8.5 ** 2) <= 1.0  # an ellipse "country"
mask[2:6, 3:7] = False  # a lake
grid = rng.poisson(0.4, size=(ny, nx)).astype(float)
grid[12:15, 4:8] += rng.poisson(5, size=(3, 4))
grid[~mask] = 99.0  # outside values must be ignored entirely
cx = (xx[mask] + 0.5) * cell
cy = (yy[mask] + 0.5) * cell
grid_sets = []
for radius_cells in [1.0, 1.5, 2.5, 4.2]:
    w = DistanceBand(np.column_stack([cx, cy]), threshold=radius_cells * cell * (1 + 1e-9), binary=True,
                     silence_warnings=True)
    grid_sets.append({"radiusCells": radius_cells, "z": [float(v) for v in gi_star(grid[mask], w)]})
out["grid"] = {"nx": nx, "ny": ny, "cellSize": cell, "mask": [bool(v) for v in mask.ravel()],
               "values": [float(v) for v in grid.ravel()],
               "maskedIndices": [int(i) for i in np.flatnonzero(mask.ravel())], "radii": grid_sets}

# 3. A space-time cube: neighbours of bin (cell, t) are the cells within the radius at steps
#    t - k .. t (ArcGIS "Neighborhood Time Step" = k, previous steps only).  The weights object is
#    built explicitly, without self; esda adds the self weight.  Then Mann-Kendall
#    (pymannkendall.original_test) on each location's z-series.
cnx, cny, steps = 9, 7, 12
cyy, cxx = np.mgrid[0:cny, 0:cnx]
cmask = np.ones((cny, cnx), dtype=bool)
cmask[0, 0] = cmask[0, 1] = cmask[6, 8] = cmask[3, 4] = False
cube = rng.poisson(0.3, size=(steps, cny, cnx)).astype(float)
cube[8:, 1:4, 5:8] += rng.poisson(4, size=(4, 3, 3))    # emerging in the north-east
cube[:, 4:6, 0:3] += rng.poisson(3, size=(steps, 2, 3))  # persistent in the south-west
cube[:, ~cmask] = 50.0  # ignored
cells = [int(i) for i in np.flatnonzero(cmask.ravel())]
pos = {c: i for i, c in enumerate(cells)}
m = len(cells)
cube_sets = []
for radius_cells, k in [(1.5, 1), (1.0, 0), (2.2, 2)]:
    neighbors = {}
    for t in range(steps):
        for c in cells:
            x0, y0 = c % cnx, c // cnx
            me = t * m + pos[c]
            nb = []
            for tau in range(max(0, t - k), t + 1):
                for d in cells:
                    x1, y1 = d % cnx, d // cnx
                    if (x1 - x0) ** 2 + (y1 - y0) ** 2 <= radius_cells ** 2 + 1e-9:
                        j = tau * m + pos[d]
                        if j != me:
                            nb.append(j)
            neighbors[me] = nb
    w = W(neighbors, {i: [1.0] * len(v) for i, v in neighbors.items()}, silence_warnings=True)
    y = np.concatenate([cube[t].ravel()[cells] for t in range(steps)])
    z = gi_star(y, w)
    series = z.reshape(steps, m)
    trends = []
    for i in range(m):
        r = mk.original_test(series[:, i], alpha=0.05)
        trends.append({"s": float(r.s), "varS": float(r.var_s), "z": float(r.z), "p": float(r.p), "trend": r.trend})
    cube_sets.append({"radiusCells": radius_cells, "timeSteps": k, "z": [float(v) for v in z], "trends": trends})
out["cube"] = {"nx": cnx, "ny": cny, "steps": steps, "mask": [bool(v) for v in cmask.ravel()],
               "counts": [float(v) for v in cube.ravel()], "cells": cells, "analyses": cube_sets}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "out", "gistar.json")
with open(path, "w") as f:
    json.dump(out, f)
print("wrote", os.path.normpath(path))
