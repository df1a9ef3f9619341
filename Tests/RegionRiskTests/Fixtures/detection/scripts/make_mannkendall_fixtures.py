"""Reference Mann-Kendall results from pymannkendall.original_test.

Run from this folder:  python3 make_mannkendall_fixtures.py
Needs: pymannkendall, numpy.  Writes ../out/mannkendall.json.
"""
import json
import os

import numpy as np
import pymannkendall as mk

rng = np.random.default_rng(1945)
series = {
    "all zeros": [0.0] * 24,
    "constant": [3.5] * 12,
    "two values": [1.0, 2.0],
    "strictly increasing": [float(i) for i in range(24)],
    "strictly decreasing": [float(-i * i) for i in range(15)],
    "ties increasing": [0, 0, 0, 1, 1, 2, 2, 2, 2, 3, 5, 5],
    "counts with many zeros": [0, 0, 1, 0, 0, 0, 2, 0, 0, 1, 0, 3, 0, 0, 4, 0, 5, 0, 0, 6, 0, 0, 0, 7],
    "sparse burst at end": [0] * 20 + [1, 3, 4, 2],
    "noise": list(rng.normal(size=24)),
    "noise with trend": list(rng.normal(size=36) + 0.08 * np.arange(36)),
    "rounded noise (ties)": list(np.round(rng.normal(size=30), 1)),
    "gi z-like": list(np.round(rng.normal(2.0, 1.5, size=24), 3)),
    "long": list(rng.poisson(3, size=120).astype(float) + np.arange(120) * 0.01),
    "single": [4.2],
}
out = {"generator": f"pymannkendall {mk.__version__}, numpy {np.__version__}", "cases": []}
for name, x in series.items():
    x = [float(v) for v in x]
    r = mk.original_test(np.array(x), alpha=0.05) if len(x) > 1 else None
    if r is None:  # pymannkendall needs two values; the textbook result of one value is S = 0.
        out["cases"].append({"name": name, "x": x, "s": 0.0, "varS": 0.0, "z": 0.0, "p": 1.0,
                             "tau": 0.0, "trend": "no trend"})
        continue
    out["cases"].append({"name": name, "x": x, "s": float(r.s), "varS": float(r.var_s), "z": float(r.z),
                         "p": float(r.p), "tau": float(r.Tau), "trend": r.trend})
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "out", "mannkendall.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", os.path.normpath(path))
