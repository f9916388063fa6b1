#!/usr/bin/env python3
"""Writes the 256x256 RGB PNG tiles the MBTiles tests store (standard library only).

Run from this folder: python3 make_tiles.py. Each tile is one flat colour with a darker
1-pixel border, named tile_<z>_<x>_<y>.png after its XYZ address (z10 over Hai Phong).
"""
import struct
import zlib

TILES = {  # XYZ address -> fill colour
    (10, 815, 451): (230, 120, 60),
    (10, 816, 451): (60, 170, 90),
    (10, 815, 452): (70, 110, 210),
    (10, 816, 452): (200, 200, 80),
}


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(colour) -> bytes:
    border = bytes(c // 2 for c in colour)
    rows = []
    for y in range(256):
        if y in (0, 255):
            row = border * 256
        else:
            row = border + bytes(colour) * 254 + border
        rows.append(b"\x00" + row)  # filter type 0
    header = struct.pack(">IIBBBBB", 256, 256, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


for (z, x, y), colour in TILES.items():
    with open(f"tile_{z}_{x}_{y}.png", "wb") as f:
        f.write(png(colour))
