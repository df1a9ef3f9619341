#!/usr/bin/env python3
"""Builds the geocoding test set, Tests/RegionRiskTests/Fixtures/gazetteer/{in,out}/geocoding-*.

Three parts, one query per line in `in/geocoding-queries.txt` ("name, admin1" as
`regionrisk geocode --file` reads them) and the truth on the same line number of
`out/geocoding-truth.tsv` (part, kind, latitude, longitude, geonameid or empty, decidable, note).
`decidable` is 1 when name and region can single the place out at all: a sample row coded to the
place itself (geo_precision 1), a perturbed place without a namesake in its region, a namesake
unique in its region; 0 for sample rows coded near a place or to a region (precision 2, 3) and
for places with a namesake in the same region, where (name, admin1) cannot tell them apart.

  sample     the embedded sample's 77 rows: `location` exactly as reported ("Dioura (military
             camp)", "Kobe (~30 km from Gao)") and `admin1` as given (blank for 11 rows), against
             the coordinates the compilers resolved (Geodata/mali/samples/incidents-2024-2025.csv).
  perturbed  GeoNames places drawn at random (seeded) from the compact gazetteer, their names
             changed the systematic ways reports change them: diacritics dropped, French/English
             spellings (ou/u, dj/j, ch/sh, doubled consonants), apostrophes and hyphens, one typo,
             and qualifiers (camp, commune de, near, area, a number, a compass word, a canal or
             kilometre tag, an X-Y axis or road), with the region a report would give (Menaka for
             the Ménaka cercle, else the point's admin-1 region).
  namesakes  names carried by settlements in two or more regions (and by one only in the region
             chosen), each with the region of one of them.

Deterministic (seeded); reads only project files. What it cannot show is in the README
(Geocoding): the perturbed and namesake parts come from the very gazetteer being tested.

Usage: python3 scripts/make_geocoding_testset.py
"""
import csv
import os
import random
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.normpath(os.path.join(HERE, ".."))
GAZ = os.path.join(PROJECT, "Geodata", "mali", "gazetteer", "ML-gazetteer.tsv")
SAMPLE = os.path.join(PROJECT, "Geodata", "mali", "samples", "incidents-2024-2025.csv")
FIX = os.path.join(PROJECT, "Tests", "RegionRiskTests", "Fixtures", "gazetteer")
SEED = 20251201
PERTURBED = 600
NAMESAKES = 150

REGION_NAMES = {"01": "Bamako", "03": "Kayes", "04": "Mopti", "05": "Ségou", "06": "Sikasso",
                "07": "Koulikoro", "08": "Tombouctou", "09": "Gao", "10": "Kidal"}


def fold(s):
    d = unicodedata.normalize("NFKD", s)
    return "".join(c for c in d if not unicodedata.combining(c))


def load_places():
    places = []
    with open(GAZ, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            c = line.rstrip("\n").split("\t")
            fclass, fcode = c[6].split(".")
            places.append(dict(id=int(c[0]), name=c[1], lat=float(c[4]), lon=float(c[5]), fclass=fclass, fcode=fcode,
                               admin1=c[7], src_admin1=c[8], cercle=c[9], pop=int(c[10])))
    return places


def hint_for(p, rng):
    if p["cercle"] == "Menaka":
        return "Menaka"
    if p["src_admin1"] == "12070575":
        return "Taoudeni"
    name = REGION_NAMES.get(p["admin1"], "")
    return fold(name) if rng.random() < 0.5 else name


def spelling_variants(name):
    """Systematic respellings; each returns a changed name or None."""
    out = []
    a = fold(name)
    if a != name:
        out.append(("ascii", a))
    for kind, old, new in [("ou_u", "ou", "u"), ("u_ou", "u", "ou"), ("dj_j", "Dj", "J"), ("j_dj", "J", "Dj"),
                           ("ch_sh", "ch", "sh"), ("e_acute", "é", "e"), ("ll_l", "ll", "l"), ("ss_s", "ss", "s"),
                           ("k_c", "K", "C"), ("y_i", "y", "i"), ("i_y", "i", "y"), ("gu_g", "gu", "g")]:
        if old in a and (kind not in ("u_ou", "i_y") or old + old not in a):
            if kind == "u_ou" and "ou" in a:
                continue
            out.append((kind, a.replace(old, new, 1)))
    if "'" in a or "’" in a:
        out.append(("apostrophe", a.replace("'", "").replace("’", "")))
    if "-" in a:
        out.append(("hyphen_space", a.replace("-", " ")))
    elif " " in a:
        out.append(("space_hyphen", a.replace(" ", "-")))
    return [(k, v) for k, v in out if v != name]


def typo(name, rng):
    a = fold(name)
    if len(a) < 6:
        return None
    i = rng.randrange(2, len(a) - 1)
    op = rng.choice(["delete", "transpose", "substitute", "insert"])
    if op == "delete":
        return a[:i] + a[i + 1:]
    if op == "transpose":
        return a[:i - 1] + a[i] + a[i - 1] + a[i + 1:]
    vowels = "aeiou"
    if op == "substitute":
        c = a[i]
        pool = vowels if c in vowels else "bdgklmnrst"
        return a[:i] + rng.choice([x for x in pool if x != c]) + a[i + 1:]
    return a[:i] + a[i] + a[i:]


def qualified(name, neighbour, rng):
    forms = [
        ("camp", f"{name} (military camp)"), ("camp_word", f"{name} camp"), ("commune", f"commune de {name}"),
        ("near", f"near {name}"), ("area", f"{name} area"), ("outskirts", f"{name} (outskirts)"),
        ("number", f"{name} {rng.choice(['2', '1', 'II'])}"), ("direction", f"{name} {rng.choice(['Ouest', 'Est', 'Nord', 'Sud'])}"),
        ("tag", f"{name} K{rng.randrange(2, 40)}"), ("market", f"{name} (market)"),
    ]
    if neighbour:
        forms += [("axis", f"{name}-{neighbour} axis"), ("road", f"{name} – {neighbour} road")]
    return rng.choice(forms)


def main():
    rng = random.Random(SEED)
    places = load_places()
    by_name = {}
    for p in places:
        by_name.setdefault(fold(p["name"]).lower(), []).append(p)
    rows = []  # (query, admin1, part, kind, lat, lon, geonameid, note)

    with open(SAMPLE, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            rows.append((r["location"], r["admin1"], "sample", f"precision{r['geo_precision']}",
                         float(r["latitude"]), float(r["longitude"]), r["geonameid"], int(r["geo_precision"] == "1"), r["event_id"]))

    # Perturbed: mostly settlements, as conflict data is; some camps, localities and wells.
    pool = [p for p in places if p["admin1"] in REGION_NAMES]
    settlements = [p for p in pool if p["fclass"] == "P"]
    others = [p for p in pool if (p["fclass"], p["fcode"]) in {("S", "CMP"), ("L", "LCTY"), ("H", "WLL"), ("S", "AIRP")}]
    chosen = rng.sample(settlements, int(PERTURBED * 0.9)) + rng.sample(others, PERTURBED - int(PERTURBED * 0.9))
    towns = [p for p in settlements if p["pop"] > 0 or p["fcode"] != "PPL"]
    for p in chosen:
        near = min(towns, key=lambda t: (t["lat"] - p["lat"]) ** 2 + ((t["lon"] - p["lon"]) * 0.97) ** 2
                   if t["id"] != p["id"] else 1e9)
        far_km = (((near["lat"] - p["lat"]) ** 2 + ((near["lon"] - p["lon"]) * 0.97) ** 2) ** 0.5) * 111
        neighbour = near["name"] if far_km < 60 else None
        roll = rng.random()
        variants = spelling_variants(p["name"])
        if roll < 0.15:
            kind, q = "as_written", p["name"]
        elif roll < 0.5 and variants:
            kind, q = rng.choice(variants)
        elif roll < 0.65:
            t = typo(p["name"], rng)
            kind, q = ("typo", t) if t else ("as_written", p["name"])
        else:
            kind, q = qualified(p["name"], neighbour, rng)
            if fold(q).lower() in by_name:  # "Kala Est" is a village of its own: not a qualifier
                kind, q = "as_written", p["name"]
        same = sum(1 for o in by_name.get(fold(p["name"]).lower(), []) if o["admin1"] == p["admin1"] and o["id"] != p["id"])
        rows.append((q, hint_for(p, rng), "perturbed", kind, p["lat"], p["lon"], str(p["id"]), int(same == 0),
                     f"{p['fclass']}.{p['fcode']} {p['name']}; {same} namesakes in its region"))

    # Namesakes: a name in several regions, unique in the one hinted.
    groups = []
    for key, ps in sorted(by_name.items()):
        ps = [p for p in ps if p["fclass"] == "P" and p["admin1"] in REGION_NAMES]
        regions = {}
        for p in ps:
            regions.setdefault(p["admin1"], []).append(p)
        unique = [r[0] for r in regions.values() if len(r) == 1]
        if len(regions) >= 2 and unique:
            groups.append((key, unique))
    for key, unique in rng.sample(groups, NAMESAKES):
        p = rng.choice(unique)
        rows.append((p["name"], hint_for(p, rng), "namesakes", "namesake", p["lat"], p["lon"], str(p["id"]), 1,
                     f"{len(by_name[key])} places named so"))

    os.makedirs(os.path.join(FIX, "in"), exist_ok=True)
    os.makedirs(os.path.join(FIX, "out"), exist_ok=True)
    with open(os.path.join(FIX, "in", "geocoding-queries.txt"), "w", encoding="utf-8", newline="\n") as q, \
            open(os.path.join(FIX, "out", "geocoding-truth.tsv"), "w", encoding="utf-8", newline="\n") as t:
        t.write("line\tpart\tkind\tlatitude\tlongitude\tgeonameid\tdecidable\tnote\n")
        for n, (query, admin1, part, kind, lat, lon, gid, decidable, note) in enumerate(rows, 1):
            q.write(f"{query}, {admin1}\n" if admin1 else f"{query}\n")
            t.write(f"{n}\t{part}\t{kind}\t{lat:.5f}\t{lon:.5f}\t{gid}\t{decidable}\t{note}\n")
    print(f"wrote {len(rows)} queries: " + ", ".join(f"{k} {sum(1 for r in rows if r[2] == k)}" for k in ("sample", "perturbed", "namesakes"))
          + f"; decidable {sum(r[7] for r in rows)}")


if __name__ == "__main__":
    main()
