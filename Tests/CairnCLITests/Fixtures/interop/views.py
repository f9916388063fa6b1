"""Cairn's raster against MapLibre GL JS's drawing of the same view, for GlyphBrowserTests
(run with /usr/bin/python3: python3-cairo, python3-numpy).

usage:
  views.py stitch BASE MAP Z LAT LON SIZE OUT.png
      stitches the map's 256 px XYZ tiles at level Z (fetched from BASE) into the SIZE x SIZE view
      centred on LAT, LON: the scale of MapLibre at zoom Z - 1 with 512 px tiles.
  views.py compare MAPLIBRE.png MAPLIBRE-NOLABELS.png RASTER.png RASTER-NOLABELS.png OUTDIR
      compares the views in 32 px blocks and prints JSON:
        blocks, meanDifference (per block: the largest channel difference of the blocks' mean
        colours, averaged), agreeing (share of blocks whose mean colours are within 16 of 255),
        labelBlocksMapLibre / labelBlocksCairn / labelBlocksBoth (blocks with label ink, i.e.
        pixels that change when the symbol layers are left out, 12 or more of 1024).
      Writes OUTDIR/diff.png (white where equal, darker by the difference) and OUTDIR/labels.png
      (grey map; red: MapLibre's label ink, blue: Cairn's, magenta: both).
"""
import json
import math
import sys
import urllib.request

import cairo
import numpy

from pixels import read_png  # the same reader as the tile-against-screenshot checks

BLOCK = 32
INK_PIXELS = 12


def write_png(rgb, path):
    height, width = rgb.shape[:2]
    stride = cairo.ImageSurface.format_stride_for_width(cairo.FORMAT_RGB24, width)
    data = numpy.zeros((height, stride), dtype=numpy.uint8)
    view = data[:, : width * 4].reshape(height, width, 4)
    view[:, :, 0] = rgb[:, :, 2]
    view[:, :, 1] = rgb[:, :, 1]
    view[:, :, 2] = rgb[:, :, 0]
    view[:, :, 3] = 255
    surface = cairo.ImageSurface.create_for_data(memoryview(data), cairo.FORMAT_RGB24, width, height, stride)
    surface.write_to_png(path)


def stitch(base, name, z, lat, lon, size, out):
    world = 256 * 2 ** z
    cx = (lon + 180) / 360 * world
    s = math.sin(math.radians(lat))
    cy = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * world
    left, top = int(round(cx - size / 2)), int(round(cy - size / 2))
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    view = numpy.zeros((size, size, 3), dtype=numpy.int32)
    tiles = []
    for ty in range(top // 256, (top + size - 1) // 256 + 1):
        for tx in range(left // 256, (left + size - 1) // 256 + 1):
            path = out + ".tile-%d-%d.png" % (tx, ty)
            with opener.open("%s/maps/%s/%d/%d/%d.png" % (base, name, z, tx, ty), timeout=120) as response, open(path, "wb") as f:
                f.write(response.read())
            tile = read_png(path)
            x0, y0 = tx * 256 - left, ty * 256 - top
            sx0, sy0 = max(0, -x0), max(0, -y0)
            dx0, dy0 = max(0, x0), max(0, y0)
            w, h = min(256 - sx0, size - dx0), min(256 - sy0, size - dy0)
            view[dy0:dy0 + h, dx0:dx0 + w] = tile[sy0:sy0 + h, sx0:sx0 + w]
            tiles.append([z, tx, ty])
    write_png(view, out)
    print(json.dumps({"tiles": tiles, "left": left, "top": top}))


def ink(with_labels, without):
    return numpy.abs(with_labels - without).max(axis=2) > 48


def compare(maplibre, maplibre_bare, raster, raster_bare, outdir):
    a, a0, b, b0 = (read_png(p) for p in (maplibre, maplibre_bare, raster, raster_bare))
    h, w = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])
    a, a0, b, b0 = a[:h, :w], a0[:h, :w], b[:h, :w], b0[:h, :w]
    ink_a, ink_b = ink(a, a0), ink(b, b0)
    differences = []
    label_a = label_b = both = 0
    for y in range(0, h - BLOCK + 1, BLOCK):
        for x in range(0, w - BLOCK + 1, BLOCK):
            ma = a[y:y + BLOCK, x:x + BLOCK].reshape(-1, 3).mean(axis=0)
            mb = b[y:y + BLOCK, x:x + BLOCK].reshape(-1, 3).mean(axis=0)
            differences.append(float(numpy.abs(ma - mb).max()))
            la = ink_a[y:y + BLOCK, x:x + BLOCK].sum() >= INK_PIXELS
            lb = ink_b[y:y + BLOCK, x:x + BLOCK].sum() >= INK_PIXELS
            label_a += la
            label_b += lb
            both += la and lb
    diff = 255 - numpy.minimum(255, numpy.abs(a - b).max(axis=2) * 2)
    write_png(numpy.repeat(diff[:, :, None], 3, axis=2), outdir + "/diff.png")
    grey = (b0.mean(axis=2) * 0.5 + 127).astype(numpy.int32)
    overlay = numpy.repeat(grey[:, :, None], 3, axis=2)
    overlay[ink_a] = [220, 0, 0]
    overlay[ink_b] = [0, 0, 220]
    overlay[ink_a & ink_b] = [200, 0, 200]
    write_png(overlay, outdir + "/labels.png")
    print(json.dumps({
        "blocks": len(differences),
        "meanDifference": sum(differences) / len(differences),
        "agreeing": sum(1 for d in differences if d <= 16) / len(differences),
        "labelBlocksMapLibre": int(label_a), "labelBlocksCairn": int(label_b), "labelBlocksBoth": int(both),
        "labelInkMapLibre": int(ink_a.sum()), "labelInkCairn": int(ink_b.sum()),
    }))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "stitch":
        base, name, z, lat, lon, size, out = sys.argv[2:9]
        stitch(base, name, int(z), float(lat), float(lon), int(size), out)
    elif command == "compare":
        compare(*sys.argv[2:7])
    else:
        sys.exit(__doc__)
