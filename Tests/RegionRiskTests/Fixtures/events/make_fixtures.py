#!/usr/bin/env python3
"""Writes the incident-file fixtures whose bytes matter (CRLF, BOM, Latin-1, 49-column UCDP rows)
and the CSV parser reference `out/tricky.python.json`, computed with Python's csv module as an
independent reference for RegionRisk's hand-written reader.

All rows are invented for the tests; none is copied from ACLED, UCDP or ../shared.
Run from this folder: python3 make_fixtures.py
"""
import csv, io, json, os

HERE = os.path.dirname(os.path.abspath(__file__))


def path(*p):
    return os.path.join(HERE, *p)


# --- ACLED, current layout, UTF-8 with BOM and CRLF line ends ---------------------------------
ACLED_CURRENT = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
                 "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
                 "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
                 "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
                 "fatalities", "tags", "timestamp"]
rows = [
    dict(event_id_cnty="MLI7001", event_date="2025-06-02", year="2025", time_precision="1",
         disorder_type="Political violence", event_type="Battles", sub_event_type="Armed clash",
         actor1="JNIM: Group for Support of Islam and Muslims", inter1="Rebel group",
         actor2="Military Forces of Mali (2021-)", inter2="State forces", interaction="Rebel group-State forces",
         iso="466", region="Western Africa", country="Mali", admin1="Tombouctou", admin2="Tombouctou",
         location="Tombouctou", latitude="16.7735", longitude="-3.0074", geo_precision="1",
         source="Studio Tamani", source_scale="National",
         notes='Attack on the camp; the army said "13 assailants" were killed.\r\nFigures disputed.',
         fatalities="13", timestamp="1749000000"),
    dict(event_id_cnty="MLI7002", event_date="2025-06-14", year="2025", time_precision="1",
         disorder_type="Political violence", event_type="Violence against civilians", sub_event_type="Attack",
         actor1="Unidentified Armed Group (Mali)", inter1="Political militia", actor2="Civilians (Mali)",
         inter2="Civilians", interaction="Political militia-Civilians", civilian_targeting="Civilian targeting",
         iso="466", region="Western Africa", country="Mali", admin1="Ségou", admin2="Niono", location="Diabaly",
         latitude="14.6910", longitude="-6.0210", geo_precision="2", source="RFI", source_scale="International",
         notes="Villagers killed near Diabaly, Niono cercle.", fatalities="7", timestamp="1749100000"),
    dict(event_id_cnty="MLI7003", event_date="2025-06-30", year="2025", time_precision="2",
         disorder_type="Political violence", event_type="Explosions/Remote violence",
         sub_event_type="Remote explosive/landmine/IED", actor1="Unidentified Armed Group (Mali)",
         inter1="Political militia", iso="466", region="Western Africa", country="Mali", admin1="Mopti",
         admin2="Douentza", location="Mopti region", latitude="14.3500", longitude="-3.6100", geo_precision="3",
         source="Local partner", source_scale="Subnational", notes="IED somewhere in the region.",
         fatalities="0", timestamp="1749200000"),
]
buf = io.StringIO()
w = csv.DictWriter(buf, fieldnames=ACLED_CURRENT, lineterminator="\r\n")
w.writeheader()
for r in rows:
    w.writerow(r)
with open(path("in", "acled-current.csv"), "wb") as f:
    f.write(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))

# --- UCDP GED, 49 columns -----------------------------------------------------------------------
UCDP = ("id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,conflict_name,"
        "dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,"
        "number_of_sources,source_article,source_office,source_date,source_headline,source_original,where_prec,"
        "where_coordinates,where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,"
        "region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,"
        "high,low,gwnoa,gwnob").split(",")
assert len(UCDP) == 49


def ucdp(**kw):
    base = {k: "" for k in UCDP}
    base.update(code_status="Clear", active_year="1.0", country="Mali", country_id="432", region="Africa",
                event_clarity="1", date_prec="1", number_of_sources="1", gwnoa="432.0")
    base.update({k: str(v) for k, v in kw.items()})
    base["geom_wkt"] = "POINT (%s %s)" % (base["longitude"], base["latitude"])
    return base


rows = [
    ucdp(id=900001, relid="MLI-2022-1-1-1", year=2022, type_of_violence=1, conflict_name="Mali: Government",
         dyad_name="Government of Mali - JNIM", side_a="Government of Mali", side_b="JNIM",
         source_article='Agence X 2022-03-05 "Clashes near Boni', where_prec=1, where_coordinates="Boni village",
         where_description="in Boni", adm_1="Mopti region", adm_2="Douentza cercle", latitude=15.0300,
         longitude=-1.9700, date_start="2022-03-04", date_end="2022-03-04", deaths_a=2, deaths_b=9, best=11, high=14,
         low=11),
    ucdp(id=900002, relid="MLI-2022-3-2-1", year=2022, type_of_violence=3, conflict_name="IS Sahel - Civilians",
         dyad_name="IS Sahel - Civilians", side_a="IS Sahel", side_b="Civilians", where_prec=4,
         where_coordinates="Menaka region", where_description="Menaka region", adm_1="Menaka region",
         latitude=15.9167, longitude=2.4000, date_start="2022-04-10", date_end="2022-04-16", deaths_civilians=30,
         best=30, high=40, low=25),
    ucdp(id=900003, relid="MLI-2022-2-3-1", year=2022, type_of_violence=2, conflict_name="Dozo - Fulani militia",
         dyad_name="Dozo - Fulani militia", side_a="Dozo militia", side_b="Fulani militia", where_prec=2,
         where_coordinates="near Bankass town", where_description="near Bankass", adm_1="Mopti region",
         latitude=14.0800, longitude=-3.5200, date_start="2022-05-01 00:00:00.000", date_end="2022-05-01", best=0,
         high=1, low=0),
]
with open(path("in", "ucdp-ged.csv"), "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=UCDP, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow(r)

# --- Latin-1 bytes (a spreadsheet saved in a Western European code page) ------------------------
with open(path("in", "latin1.csv"), "wb") as f:
    f.write(b"event_id,event_date,latitude,longitude,location,admin1\n"
            b"L1,2024-05-01,13.4317,-6.2157,S\xe9gou,S\xe9gou\n"
            b"L2,2024-05-02,14.4843,-4.1827,Mopti \x96 port,Mopti\n")

# --- CSV reader reference: Python's csv module on awkward input ---------------------------------
tricky = (
    'a,b,c\n'
    'plain,"quoted, with comma","doubled ""quotes"" inside"\n'
    '"multi\nline",x,"crlf\r\ninside"\r\n'
    ',,\n'
    '\n'
    '"a"b,ab"c,"end"\r'
    'unicode é ü,"ಠ_ಠ",  spaced  \n'
    '"","""",last'
)
with open(path("in", "tricky.csv"), "w", newline="", encoding="utf-8") as f:
    f.write(tricky)
records = []
with open(path("in", "tricky.csv"), newline="", encoding="utf-8") as f:
    reader = csv.reader(f)
    prev = 0
    for rec in reader:
        start = prev + 1
        prev = reader.line_num
        if rec == []:  # a blank line: Python yields [], RegionRisk skips it
            continue
        records.append({"line": start, "fields": rec})
with open(path("out", "tricky.python.json"), "w", encoding="utf-8") as f:
    json.dump(records, f, ensure_ascii=False, indent=1)
    f.write("\n")
