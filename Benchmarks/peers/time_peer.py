"""Times one peer of the team's harness (../shared/peers/peers.py) on one scenario, in-process.

It imports the harness itself, so the peer runs exactly as `peers.py` runs it (same grid, same
bandwidth conversion, same KDEpy settings: Gaussian support forced to 5 sigma) - but without the
harness's exact numpy reference, which takes minutes at 1M events and is not what is compared.
Runs --warmup untimed, then --runs timed; prints one JSON line.

Usage: time_peer.py --harness DIR --events CSV --res-km 1 --bw-km 50 --kernel quartic [--peer kdepy_fft]
"""
import argparse, json, os, sys, time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--harness", required=True)
    ap.add_argument("--events", required=True)
    ap.add_argument("--res-km", type=float, default=1.0)
    ap.add_argument("--bw-km", type=float, default=50.0)
    ap.add_argument("--kernel", default="quartic")
    ap.add_argument("--peer", default="kdepy_fft")
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--runs", type=int, default=1)
    a = ap.parse_args()
    sys.path.insert(0, os.path.abspath(a.harness))
    import peers  # the harness, unmodified

    c = peers.Ctx()
    c.kernel, c.h, c.sk_rtol, c.max_pairs = a.kernel, a.bw_km, 1e-4, 1.5e9
    c.fft_gauss_support, c.tree_eps = 5.0, 1e-7
    c.grid = peers.make_grid(a.res_km)
    c.lon, c.lat, c.x, c.y, c.w, _ = peers.load_events(a.events, "none", c.grid.crs)
    c.kernel_q = c.kernel
    fn = peers.GRIDWISE[a.peer]
    times = []
    for i in range(a.warmup + a.runs):
        t0 = time.perf_counter()
        v = fn(c)
        dt = time.perf_counter() - t0
        if i >= a.warmup:
            times.append(dt)
    print(json.dumps({"tool": a.peer, "kernel": a.kernel, "events": int(len(c.x)), "res_km": a.res_km,
                      "cells": int(c.grid.nx * c.grid.ny), "runs_s": times, "load": os.getloadavg()[0],
                      "peak_value": float(v.max())}))


if __name__ == "__main__":
    main()
