"""Reference values for the detection statistics' distributions, rate test and BH q-values.

Run from this folder:  python3 make_rate_fixtures.py
Needs: scipy >= 1.11, statsmodels, numpy.  Writes ../out/rates.json.
Independent of RegionRisk: every number comes from scipy / statsmodels.
"""
import json
import os

import numpy as np
import scipy
import statsmodels
from scipy import special, stats
from statsmodels.stats.multitest import multipletests

rng = np.random.default_rng(20250708)
out = {"generator": f"scipy {scipy.__version__}, statsmodels {statsmodels.__version__}, numpy {np.__version__}"}

# Standard normal: cdf, survival, two-sided p.
zs = [-40.0, -12.5, -8.0, -5.0, -3.0, -1.959963984540054, -1.0, -1e-8, 0.0, 0.3, 1.0, 1.6448536269514722,
      2.5, 4.0, 7.5, 10.0, 20.0, 37.0]
out["normal"] = [{"z": z, "cdf": stats.norm.cdf(z), "sf": stats.norm.sf(z),
                  "twoSided": min(1.0, 2 * stats.norm.sf(abs(z)))} for z in zs]

# Binomial tails, up to n = 1e6.
binom_cases = [(0, 0, 0.3), (1, 0, 0.3), (1, 1, 0.3), (10, 0, 0.5), (10, 3, 0.5), (10, 10, 0.5),
               (20, 1, 0.01), (20, 15, 0.2), (50, 49, 0.9), (100, 30, 0.076), (365, 5, 1 / 73),
               (1000, 120, 0.1), (1000, 200, 0.1), (10_000, 5_200, 0.5), (100_000, 1_000, 0.0095),
               (1_000_000, 1_000, 0.001), (1_000_000, 1_150, 0.001), (1_000_000, 870, 0.001),
               (1_000_000, 500_500, 0.5), (1_000_000, 76_000, 30 / 395), (1_000_000, 3, 1e-6),
               (5, 2, 0.0), (5, 2, 1.0)]
out["binomial"] = [{"n": n, "k": k, "p": p,
                    "atLeast": float(stats.binom.sf(k - 1, n, p)),
                    "atMost": float(stats.binom.cdf(k, n, p))} for (n, k, p) in binom_cases]

# Regularized incomplete beta for real shapes (the rate test's continuous extension).
beta_cases = [(0.5, 0.5, 0.3), (1.0, 1.5, 0.0759493670886076), (4.0, 1.5, 0.0759493670886076),
              (4.0, 1.0, 0.0759493670886076), (2.5, 7.25, 0.9), (30.0, 400.5, 0.07), (200.0, 3.0, 0.99),
              (1e5, 2e5 + 0.5, 1 / 3), (1e6, 1e6, 0.5005), (3.0, 1e6, 1e-6), (0.1, 0.2, 0.5)]
out["incompleteBeta"] = [{"a": a, "b": b, "x": x, "lower": float(special.betainc(a, b, x)),
                          "upper": float(special.betaincc(a, b, x))} for (a, b, x) in beta_cases]

# Exact conditional rate test.  With background b (events/day) the comparison window is credited
# with b*t pseudo-events: exceedance = I_p(k1, k0 + b t0 + 1), deficit = I_{1-p}(k0, k1 + b t1 + 1),
# p = t1/(t1+t0).  With b = 0 these must equal scipy.stats.binomtest, which is asserted here.
rate_cases = []
for (k1, t1, k0, t0) in [(4, 30, 0, 365), (1, 30, 0, 365), (0, 30, 0, 365), (2, 30, 0, 365), (1, 7, 0, 365),
                         (0, 30, 5, 365), (3, 30, 3, 365), (10, 30, 40, 365), (40, 30, 40, 365), (0, 30, 200, 365),
                         (25, 14, 3, 180), (5, 90, 0, 730), (1, 30, 1, 30), (120, 30, 900, 365), (12, 30, 365, 365),
                         (0, 1, 0, 1), (7, 0.5, 2, 1000)]:
    p = t1 / (t1 + t0)
    for b in [0.0, 1 / 730, 1 / 365, 0.05]:
        exc = 1.0 if k1 == 0 else float(special.betainc(k1, k0 + b * t0 + 1, p))
        dfc = 1.0 if k0 == 0 else float(special.betainc(k0, k1 + b * t1 + 1, 1 - p))
        if b == 0.0:
            n = k1 + k0
            if n > 0:
                g = stats.binomtest(k1, n, p, alternative="greater").pvalue
                l = stats.binomtest(k1, n, p, alternative="less").pvalue
                assert abs(g - exc) <= 1e-12 * max(1, g), (k1, k0, g, exc)
                assert abs(l - dfc) <= 1e-12 * max(1, l), (k1, k0, l, dfc)
                exc, dfc = float(g), float(l)
        rate_cases.append({"recentCount": k1, "recentDays": t1, "baselineCount": k0, "baselineDays": t0,
                           "background": b, "exceedance": exc, "deficit": dfc})
out["rates"] = rate_cases

# Benjamini-Hochberg q-values.
bh_inputs = [
    [0.01],
    [0.04, 0.01, 0.03, 0.02, 0.5],
    [0.05, 0.05, 0.05, 0.01, 0.01, 1.0, 0.0],
    [0.2] * 7,
    [3.3e-5, 0.076, 0.112, 0.9, 0.0105, 7.94e-5, 3.3e-5, 0.5, 0.5, 1.0],
    list(rng.uniform(size=40)),
    list(np.concatenate([rng.uniform(0, 1e-4, size=30), rng.uniform(size=470)])),
    list(np.round(rng.uniform(size=200), 2)),  # many ties
]
bh = []
for ps in bh_inputs:
    ps = [float(x) for x in ps]
    q_sm = multipletests(ps, method="fdr_bh")[1]
    q_sp = stats.false_discovery_control(ps, method="bh")
    assert np.allclose(q_sm, q_sp, rtol=1e-13, atol=0)
    bh.append({"p": ps, "q": [float(x) for x in q_sp]})
out["benjaminiHochberg"] = bh

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "out", "rates.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", os.path.normpath(path))
