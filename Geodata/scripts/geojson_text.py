"""Deterministic GeoJSON text, laid out exactly as RegionRisk's Swift writer does it.

`GeoJSONFeatureCollection.serialized()` (Sources/RegionRisk/GeoJSON/GeoJSON.swift) writes
one feature per line, a `bbox` first, numbers in shortest round-trip form and degrees
rounded half away from zero to 6 decimals. Writing the embedded files the same way means
that reading them in Swift and writing them back gives identical bytes, and that a rebuild
on any machine gives identical bytes too.
"""

import math
import os
import tempfile

DECIMALS = 6
_SCALE = 10.0 ** DECIMALS


def round_deg(x):
    """Degrees rounded to 6 decimals, half away from zero (Swift's `.rounded()`), not
    Python's round-half-to-even."""
    return math.copysign(math.floor(abs(x) * _SCALE + 0.5), x) / _SCALE


def round_ring(ring):
    """Rounds a closed ring and drops consecutive positions that became equal."""
    out = []
    for lon, lat in ring:
        q = (round_deg(lon), round_deg(lat))
        if out and out[-1] == q:
            continue
        out.append(q)
    return out


def planar_signed_area(ring):
    """Shoelace area in degree² (positive when counter-clockwise); only the sign is used,
    the same test as GeoJSONGeometry.withRFC7946Winding()."""
    s = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        s += x0 * y1 - x1 * y0
    return s / 2


def rfc7946_rings(rings):
    """Exterior counter-clockwise, holes clockwise (RFC 7946 §3.1.6)."""
    out = []
    for n, ring in enumerate(rings):
        ccw = planar_signed_area(ring) > 0
        out.append(ring if (n == 0) == ccw else list(reversed(ring)))
    return out


def number(d):
    if not math.isfinite(d):
        raise ValueError(f"non-finite number {d!r}")
    if d == math.floor(d) and abs(d) < 1e15:
        return str(int(d))
    return repr(float(d))


def string(s):
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def value(v):
    """Compact JSON; dicts keep insertion order."""
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return number(float(v))
    if isinstance(v, str):
        return string(v)
    if isinstance(v, (list, tuple)):
        return "[" + ",".join(value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(string(k) + ":" + value(x) for k, x in v.items()) + "}"
    raise TypeError(f"cannot write {type(v).__name__} as JSON")


def polygon_geometry(polygons):
    """A Polygon (one part) or MultiPolygon geometry from lists of closed rings of
    (lon, lat), already rounded and oriented."""
    coords = [[[list(p) for p in ring] for ring in poly] for poly in polygons]
    if len(coords) == 1:
        return {"type": "Polygon", "coordinates": coords[0]}
    return {"type": "MultiPolygon", "coordinates": coords}


def feature(geometry, properties, fid=None):
    f = {"type": "Feature"}
    if fid is not None:
        f["id"] = fid
    f["geometry"] = geometry
    f["properties"] = properties
    return f


def collection_text(features):
    xs, ys = [], []
    for f in features:
        for poly in _polygons(f["geometry"]):
            for ring in poly:
                for lon, lat in ring:
                    xs.append(lon)
                    ys.append(lat)
    bbox = [min(xs), min(ys), max(xs), max(ys)]
    lines = ['{"type":"FeatureCollection",', '"bbox":' + value(bbox) + ",", '"features":[']
    for n, f in enumerate(features):
        lines.append(value(f) + ("," if n + 1 < len(features) else ""))
    lines.append("]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _polygons(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


def write_atomically(path, data):
    """Temp file in the same folder, then rename: a failed run never leaves a half file."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
