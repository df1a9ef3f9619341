#!/usr/bin/env python3
"""Checks a screenshot PNG without third-party packages: its size, that it is not blank, and
that given colours appear (e.g. the map's background, proving the inline SVG was drawn).

    png-check.py SHOT.png [--size 1400x1800] [--expect-colour e9eef2 ...] [--min-colours 20]

Prints one line of findings; exits 1 when a check fails. Decodes 8-bit, non-interlaced
greyscale/RGB/RGBA PNGs (what Chromium writes)."""
import argparse
import struct
import sys
import zlib


def read_png(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG file")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour_type)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"{path}: unsupported PNG (depth {depth}, colour type {colour_type}, interlace {interlace})")
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("png")
    ap.add_argument("--size")
    ap.add_argument("--expect-colour", action="append", default=[])
    ap.add_argument("--min-colours", type=int, default=2)
    args = ap.parse_args()
    try:
        width, height, channels, rows = read_png(args.png)
    except (OSError, ValueError, zlib.error) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    counts = {}
    for line in rows:
        for x in range(0, len(line), channels):
            px = line[x:x + 3] if channels >= 3 else bytes([line[x]] * 3)
            counts[px] = counts.get(px, 0) + 1
    failures = []
    if args.size and f"{width}x{height}" != args.size:
        failures.append(f"size {width}x{height}, expected {args.size}")
    if len(counts) < args.min_colours:
        failures.append(f"only {len(counts)} distinct colours: blank page?")
    found = []
    for hexcolour in args.expect_colour:
        n = counts.get(bytes.fromhex(hexcolour), 0)
        found.append(f"#{hexcolour}: {n} px")
        if n == 0:
            failures.append(f"colour #{hexcolour} absent (the inline SVG map was not drawn?)")
    print(f"{args.png}: {width}x{height}, {len(counts)} distinct colours" + (", " + ", ".join(found) if found else ""))
    for f in failures:
        print(f"error: {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
