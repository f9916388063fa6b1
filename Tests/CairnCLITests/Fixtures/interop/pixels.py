"""Pixel comparisons for the interoperability tests (run with /usr/bin/python3: python3-cairo, python3-numpy).

usage:
  pixels.py patch SCREENSHOT.png TILE.png X Y [RADIUS]
      compares TILE with the region of SCREENSHOT whose top-left pixel is (X, Y); prints
      {"differing": fraction of pixels with a channel off by more than 16, "meanDifference": ...,
       "dx": 0, "dy": 0}; with RADIUS, the best of the placements up to RADIUS pixels away
      (comparing where they overlap) and its offset.
  pixels.py shift A B WIDTH HEIGHT
      A and B are raw 8-bit rasters (band-sequential, first band used, e.g. gdalwarp -of ENVI) of
      WIDTH x HEIGHT; prints the sub-pixel shift (dx, dy) that moves A's dark pixels onto B's,
      from the peak of their cross-correlation, and the same estimate for A against A shifted by
      a known (3, -2) as a check of the method.
"""
import json
import sys

import cairo
import numpy


def read_png(path):
    """RGB as an (height, width, 3) int array; tiles and screenshots are opaque."""
    surface = cairo.ImageSurface.create_from_png(path)
    if surface.get_format() not in (cairo.FORMAT_ARGB32, cairo.FORMAT_RGB24):
        converted = cairo.ImageSurface(cairo.FORMAT_ARGB32, surface.get_width(), surface.get_height())
        context = cairo.Context(converted)
        context.set_source_surface(surface)
        context.paint()
        surface = converted
    height, stride = surface.get_height(), surface.get_stride()
    data = numpy.frombuffer(surface.get_data(), dtype=numpy.uint8).reshape(height, stride)
    bgra = data[:, : surface.get_width() * 4].reshape(height, surface.get_width(), 4)
    return bgra[:, :, 2::-1].astype(numpy.int32)


def compare(screenshot, tile, x, y):
    height, width = tile.shape[:2]
    left, top = max(x, 0), max(y, 0)
    right, bottom = min(x + width, screenshot.shape[1]), min(y + height, screenshot.shape[0])
    if right - left < width - 8 or bottom - top < height - 8:
        return None
    region = screenshot[top:bottom, left:right]
    part = tile[top - y : bottom - y, left - x : right - x]
    difference = numpy.abs(region - part)
    return {"differing": float((difference.max(axis=2) > 16).mean()), "meanDifference": float(difference.mean())}


def patch(screenshot_path, tile_path, x, y, radius=0):
    screenshot, tile = read_png(screenshot_path), read_png(tile_path)
    if radius == 0 and (x + tile.shape[1] > screenshot.shape[1] or y + tile.shape[0] > screenshot.shape[0]):
        return {"error": f"a {tile.shape} tile at ({x}, {y}) of a {screenshot.shape} image"}
    best = None
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            result = compare(screenshot, tile, x + dx, y + dy)
            if result is not None and (best is None or result["differing"] < best["differing"]):
                best = dict(result, dx=dx, dy=dy)
    return best


def darkness(path, width, height):
    raw = numpy.fromfile(path, dtype=numpy.uint8, count=width * height).reshape(height, width)
    return 1.0 - raw.astype(numpy.float64) / 255.0


def peak_offset(a, b):
    """The (dx, dy) with b(x, y) ≈ a(x - dx, y - dy), to a fraction of a pixel."""
    spectrum = numpy.fft.rfft2(b - b.mean()) * numpy.conj(numpy.fft.rfft2(a - a.mean()))
    correlation = numpy.fft.irfft2(spectrum, s=a.shape)
    row, column = numpy.unravel_index(numpy.argmax(correlation), correlation.shape)

    def refine(minus, centre, plus):
        denominator = minus - 2 * centre + plus
        return 0.0 if denominator == 0 else 0.5 * (minus - plus) / denominator

    height, width = correlation.shape
    dy = row + refine(correlation[row - 1, column], correlation[row, column], correlation[(row + 1) % height, column])
    dx = column + refine(correlation[row, column - 1], correlation[row, column], correlation[row, (column + 1) % width])
    if dy > height / 2:
        dy -= height
    if dx > width / 2:
        dx -= width
    return float(dx), float(dy)


def shift(path_a, path_b, width, height):
    a, b = darkness(path_a, width, height), darkness(path_b, width, height)
    dx, dy = peak_offset(a, b)
    check_x, check_y = peak_offset(a, numpy.roll(a, (-2, 3), axis=(0, 1)))
    return {"dx": dx, "dy": dy, "darkA": float((a > 0.5).mean()), "darkB": float((b > 0.5).mean()),
            "checkDx": check_x, "checkDy": check_y}


def main():
    command = sys.argv[1]
    if command == "patch":
        radius = int(sys.argv[6]) if len(sys.argv) > 6 else 0
        result = patch(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), radius)
    elif command == "shift":
        result = shift(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    else:
        raise SystemExit(f"unknown command {command!r}")
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
