#!/usr/bin/python3
"""Rough preview of a Cairn (MapLibre v8) style, for style authoring only.

This is NOT Cairn's renderer. It reads the style's local sources with OGR (GDAL's Python
bindings), reprojects them to EPSG:3857, and draws the supported subset of the style spec
with pycairo + Pango, so a style can be checked by eye before the Swift renderer exists or
when it disagrees. Label placement is simplistic (line labels are drawn straight along the
longest segment, collisions by bounding box).

Usage (Debian's python, which has python3-gdal, python3-cairo and python3-gi):
  /usr/bin/python3 scripts/style_preview.py styles/hai-phong.json --tile 14/13047/7255 -o /tmp/z14.png
  /usr/bin/python3 scripts/style_preview.py styles/hai-phong.json --center 106.685,20.855 --z 14 \\
      --size 768x512 -o /tmp/view.png
  /usr/bin/python3 scripts/style_preview.py styles/hai-phong.json --tiles-dir /tmp/tiles \\
      --bbox 106.6,20.8,106.8,20.9 --zooms 12-14          # writes {z}/{x}/{y}.png
Zoom arguments are XYZ levels of 256 px tiles; the style is evaluated at zoom z-1.
"""
import argparse
import json
import math
import os
import re
import sys

import cairo
import gi
from osgeo import ogr, osr

gi.require_foreign("cairo")
gi.require_version("Pango", "1.0")
gi.require_version("PangoCairo", "1.0")
from gi.repository import Pango, PangoCairo  # noqa: E402

ORIGIN = 20037508.342789244
ogr.UseExceptions()
osr.UseExceptions()

# ------------------------------------------------------------------ colours
NAMED = {"white": (1, 1, 1, 1), "black": (0, 0, 0, 1), "transparent": (0, 0, 0, 0)}


def parse_color(v):
    if isinstance(v, tuple):
        return v
    s = v.strip().lower()
    if s in NAMED:
        return NAMED[s]
    if s.startswith("#"):
        h = s[1:]
        if len(h) in (3, 4):
            h = "".join(c * 2 for c in h)
        r, g, b = int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)
        a = int(h[6:8], 16) / 255 if len(h) == 8 else 1.0
        return (r / 255, g / 255, b / 255, a)
    m = re.match(r"rgba?\(([^)]*)\)", s)
    if m:
        p = [float(x) for x in m.group(1).split(",")]
        return (p[0] / 255, p[1] / 255, p[2] / 255, p[3] if len(p) > 3 else 1.0)
    raise ValueError("colour %r" % v)


# ------------------------------------------------------------------ expressions
class Ctx:
    def __init__(self, zoom, props):
        self.zoom = zoom
        self.props = props


def ev(e, c):
    if isinstance(e, dict):
        return ev_function(e, c)
    if not isinstance(e, list):
        return e
    if not e or not isinstance(e[0], str):
        return e
    op = e[0]
    a = e[1:]
    if op == "literal":
        return a[0]
    if op == "get":
        return c.props.get(ev(a[0], c))
    if op == "has":
        return ev(a[0], c) in c.props
    if op == "zoom":
        return c.zoom
    if op in ("==", "!=", "<", "<=", ">", ">="):
        x, y = ev(a[0], c), ev(a[1], c)
        if op == "==":
            return x == y
        if op == "!=":
            return x != y
        if x is None or y is None:
            return False
        try:
            return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]
        except TypeError:
            return False
    if op == "all":
        return all(ev(x, c) for x in a)
    if op == "any":
        return any(ev(x, c) for x in a)
    if op == "!":
        return not ev(a[0], c)
    if op == "in":
        x, coll = ev(a[0], c), ev(a[1], c)
        return x in coll if coll is not None else False
    if op == "match":
        x = ev(a[0], c)
        for i in range(1, len(a) - 1, 2):
            labels = a[i] if isinstance(a[i], list) else [a[i]]
            if x in labels:
                return ev(a[i + 1], c)
        return ev(a[-1], c)
    if op == "case":
        for i in range(0, len(a) - 1, 2):
            if ev(a[i], c):
                return ev(a[i + 1], c)
        return ev(a[-1], c)
    if op == "coalesce":
        for x in a:
            v = ev(x, c)
            if v is not None:
                return v
        return None
    if op == "concat":
        return "".join(to_string(ev(x, c)) for x in a)
    if op == "to-string":
        return to_string(ev(a[0], c))
    if op == "to-number":
        for x in a:
            v = ev(x, c)
            try:
                return float(v)
            except (TypeError, ValueError):
                continue
        return 0.0
    if op == "step":
        x = ev(a[0], c)
        out = a[1]
        for i in range(2, len(a), 2):
            if x is not None and x >= a[i]:
                out = a[i + 1]
        return ev(out, c)
    if op == "interpolate":
        kind = a[0]
        base = kind[1] if kind[0] == "exponential" else 1.0
        x = ev(a[1], c)
        stops = [(a[i], a[i + 1]) for i in range(2, len(a), 2)]
        return interp(stops, x, base, c)
    return e  # a literal array such as [0, 0.6]


def to_string(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def interp(stops, x, base, c):
    if x <= stops[0][0]:
        return ev(stops[0][1], c)
    if x >= stops[-1][0]:
        return ev(stops[-1][1], c)
    for (z0, v0), (z1, v1) in zip(stops, stops[1:]):
        if z0 <= x <= z1:
            d = z1 - z0
            t = (x - z0) / d if base == 1 else (base ** (x - z0) - 1) / (base ** d - 1)
            v0, v1 = ev(v0, c), ev(v1, c)
            if isinstance(v0, str):
                c0, c1 = parse_color(v0), parse_color(v1)
                return tuple(p + (q - p) * t for p, q in zip(c0, c1))
            if isinstance(v0, list):
                return [p + (q - p) * t for p, q in zip(v0, v1)]
            return v0 + (v1 - v0) * t


def ev_function(f, c):
    """Legacy {"stops": ...} function (zoom or property)."""
    stops = f["stops"]
    if "property" in f:
        x = c.props.get(f["property"])
    else:
        x = c.zoom
    if isinstance(stops[0][0], dict):
        stops = [(s[0]["value"], s[1]) for s in stops if s[0]["zoom"] <= c.zoom] or stops[:1]
    if f.get("type") in ("interval", "categorical") or isinstance(stops[0][1], str) and f.get("type") != "exponential":
        if f.get("type") == "categorical":
            for k, v in stops:
                if k == x:
                    return v
            return f.get("default")
        out = stops[0][1]
        for k, v in stops:
            if x is not None and x >= k:
                out = v
        return out
    return interp(stops, x, f.get("base", 1.0), c)


def legacy_filter(f, c):
    """Pre-expression filter syntax (["==", "key", value] ...)."""
    op = f[0]
    if op in ("all", "any", "none"):
        r = [evaluate_filter(x, c) for x in f[1:]]
        return all(r) if op == "all" else any(r) if op == "any" else not any(r)
    key = f[1]
    v = c.props.get(key) if key != "$type" else c.props.get("$type")
    if op == "has":
        return key in c.props
    if op == "!has":
        return key not in c.props
    if op == "in":
        return v in f[2:]
    if op == "!in":
        return v not in f[2:]
    return ev([op, ["literal", v], f[2]], c)


def evaluate_filter(f, c):
    if f is None:
        return True
    if isinstance(f, list) and len(f) > 1 and isinstance(f[1], str) and f[0] != "literal" and \
            (f[0] in ("==", "!=", "<", "<=", ">", ">=", "in", "!in", "has", "!has")):
        return legacy_filter(f, c)
    return bool(ev(f, c))


# ------------------------------------------------------------------ data
class Layer:
    def __init__(self, feats):
        self.feats = feats  # list of (kind, parts, props, env)


def load_source(style_dir, src):
    path = os.path.normpath(os.path.join(style_dir, src["url"]))
    ds = ogr.Open(path)
    if ds is None:
        raise SystemExit("cannot open " + path)
    dst = osr.SpatialReference()
    dst.ImportFromEPSG(3857)
    dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    out = {}
    for i in range(ds.GetLayerCount()):
        lyr = ds.GetLayer(i)
        srs = lyr.GetSpatialRef()
        if src.get("crs"):
            srs = osr.SpatialReference()
            srs.SetFromUserInput(src["crs"])
        if srs is None:
            srs = osr.SpatialReference()
            srs.ImportFromEPSG(4326)
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        tr = osr.CoordinateTransformation(srs, dst)
        feats = []
        for f in lyr:
            g = f.GetGeometryRef()
            if g is None:
                continue
            g = g.Clone()
            g.Transform(tr)
            props = f.items()
            kind, parts = flatten(g)
            if not parts:
                continue
            xs = [p[0] for part in parts for ring in (part if kind == "poly" else [part]) for p in ring]
            ys = [p[1] for part in parts for ring in (part if kind == "poly" else [part]) for p in ring]
            props["$type"] = {"pt": "Point", "line": "LineString", "poly": "Polygon"}[kind]
            feats.append((kind, parts, props, (min(xs), min(ys), max(xs), max(ys))))
        out[lyr.GetName()] = Layer(feats)
    return out


def flatten(g):
    t = ogr.GT_Flatten(g.GetGeometryType())
    if t == ogr.wkbPoint:
        return "pt", [[(g.GetX(), g.GetY())]]
    if t == ogr.wkbMultiPoint:
        return "pt", [[(g.GetGeometryRef(i).GetX(), g.GetGeometryRef(i).GetY())] for i in range(g.GetGeometryCount())]
    if t == ogr.wkbLineString:
        return "line", [g.GetPoints()]
    if t == ogr.wkbMultiLineString:
        return "line", [g.GetGeometryRef(i).GetPoints() for i in range(g.GetGeometryCount())]
    if t == ogr.wkbPolygon:
        return "poly", [[g.GetGeometryRef(i).GetPoints() for i in range(g.GetGeometryCount())]]
    if t == ogr.wkbMultiPolygon:
        polys = []
        for j in range(g.GetGeometryCount()):
            p = g.GetGeometryRef(j)
            polys.append([p.GetGeometryRef(i).GetPoints() for i in range(p.GetGeometryCount())])
        return "poly", polys
    return None, []


# ------------------------------------------------------------------ drawing
class View:
    """A pixel window onto Web Mercator at XYZ zoom z (256 px tiles)."""

    def __init__(self, z, px0, py0, w, h):
        self.z, self.px0, self.py0, self.w, self.h = z, px0, py0, w, h
        self.scale = 256 * (1 << z) / (2 * ORIGIN) if isinstance(z, int) else 256 * 2 ** z / (2 * ORIGIN)

    def xy(self, p):
        return ((p[0] + ORIGIN) * self.scale - self.px0, (ORIGIN - p[1]) * self.scale - self.py0)

    def env(self, margin):
        s = self.scale
        return ((self.px0 - margin) / s - ORIGIN, ORIGIN - (self.py0 + self.h + margin) / s,
                (self.px0 + self.w + margin) / s - ORIGIN, ORIGIN - (self.py0 - margin) / s)


def render(style, sources, view, out_png, style_zoom):
    surf = cairo.ImageSurface(cairo.FORMAT_ARGB32, view.w, view.h)
    cr = cairo.Context(surf)
    placed = []  # label collision boxes
    qenv = view.env(64)
    # MapLibre places symbols starting from the topmost layer: draw other layers in order, then
    # symbol layers top-down so the later (more important) ones claim space first.
    others = [l for l in style["layers"] if l["type"] != "symbol"]
    symbols = [l for l in style["layers"] if l["type"] == "symbol"][::-1]
    for lyr in others + symbols:
        if lyr.get("layout", {}).get("visibility") == "none":
            continue
        if style_zoom < lyr.get("minzoom", -1) or style_zoom >= lyr.get("maxzoom", 99):
            continue
        t = lyr["type"]
        paint, layout = lyr.get("paint", {}), lyr.get("layout", {})
        if t == "background":
            cr.set_source_rgba(*rgba(ev(paint.get("background-color", "#000"), Ctx(style_zoom, {})),
                                     paint.get("background-opacity", 1)))
            cr.paint()
            continue
        data = sources[lyr["source"]].get(lyr.get("source-layer"))
        if data is None:
            print("warning: %s: no source-layer %r" % (lyr["id"], lyr.get("source-layer")), file=sys.stderr)
            continue
        feats = [f for f in data.feats if f[3][0] <= qenv[2] and f[3][2] >= qenv[0] and f[3][1] <= qenv[3] and f[3][3] >= qenv[1]]
        if t == "symbol":
            feats = sorted(feats, key=lambda f: ev(layout.get("symbol-sort-key", 0), Ctx(style_zoom, f[2])) or 0)
        for kind, parts, props, _ in feats:
            c = Ctx(style_zoom, props)
            if not evaluate_filter(lyr.get("filter"), c):
                continue
            P = lambda k, d: ev(paint.get(k, d), c)  # noqa: E731
            Lo = lambda k, d: ev(layout.get(k, d), c)  # noqa: E731
            if t == "fill" and kind == "poly":
                path_polys(cr, view, parts)
                cr.set_source_rgba(*rgba(P("fill-color", "#000"), P("fill-opacity", 1)))
                cr.fill_preserve()
                if "fill-outline-color" in paint:
                    cr.set_line_width(1)
                    cr.set_source_rgba(*rgba(P("fill-outline-color", "#000"), P("fill-opacity", 1)))
                    cr.stroke()
                cr.new_path()
            elif t == "line" and kind in ("line", "poly"):
                rings = parts if kind == "line" else [r for p in parts for r in p]
                w = P("line-width", 1)
                if w <= 0:
                    continue
                cr.set_line_width(w)
                cr.set_line_cap({"round": cairo.LINE_CAP_ROUND, "square": cairo.LINE_CAP_SQUARE}.get(
                    Lo("line-cap", "butt"), cairo.LINE_CAP_BUTT))
                cr.set_line_join({"round": cairo.LINE_JOIN_ROUND, "bevel": cairo.LINE_JOIN_BEVEL}.get(
                    Lo("line-join", "miter"), cairo.LINE_JOIN_MITER))
                dash = P("line-dasharray", None)
                cr.set_dash([d * w for d in dash] if dash else [])
                for r in rings:
                    path_line(cr, view, r, kind == "poly")
                cr.set_source_rgba(*rgba(P("line-color", "#000"), P("line-opacity", 1)))
                cr.stroke()
                cr.set_dash([])
            elif t == "circle" and kind == "pt":
                r = P("circle-radius", 5)
                sw = P("circle-stroke-width", 0)
                for part in parts:
                    x, y = view.xy(part[0])
                    cr.arc(x, y, r, 0, 2 * math.pi)
                    cr.set_source_rgba(*rgba(P("circle-color", "#000"), P("circle-opacity", 1)))
                    if sw > 0:
                        cr.fill_preserve()
                        cr.set_line_width(sw)
                        cr.set_source_rgba(*rgba(P("circle-stroke-color", "#000"), P("circle-stroke-opacity", 1)))
                        cr.stroke()
                    else:
                        cr.fill()
            elif t == "symbol":
                draw_label(cr, view, kind, parts, Lo, P, placed)
    surf.write_to_png(out_png)


def rgba(col, opacity=1.0):
    r, g, b, a = parse_color(col)
    return (r, g, b, a * opacity)


def path_polys(cr, view, polys):
    for poly in polys:
        for ring in poly:
            path_line(cr, view, ring, True)
    cr.set_fill_rule(cairo.FILL_RULE_EVEN_ODD)


def path_line(cr, view, pts, close):
    first = True
    for p in pts:
        x, y = view.xy(p)
        if first:
            cr.move_to(x, y)
            first = False
        else:
            cr.line_to(x, y)
    if close:
        cr.close_path()


def draw_label(cr, view, kind, parts, Lo, P, placed):
    text = Lo("text-field", "")
    if isinstance(text, (int, float)):
        text = to_string(text)
    if not text:
        return
    tr = Lo("text-transform", "none")
    text = text.upper() if tr == "uppercase" else text.lower() if tr == "lowercase" else text
    size = Lo("text-size", 16)
    font = Lo("text-font", ["Noto Sans Regular"])[0]
    layout = PangoCairo.create_layout(cr)
    fd = Pango.FontDescription.from_string(font.replace(" Regular", "") + " %dpx" % round(size))
    layout.set_font_description(fd)
    spacing = Lo("text-letter-spacing", 0)
    if spacing:
        attrs = Pango.AttrList()
        attrs.insert(Pango.attr_letter_spacing_new(int(spacing * size * Pango.SCALE)))
        layout.set_attributes(attrs)
    placement = Lo("symbol-placement", "point")
    if placement == "point":
        layout.set_width(int(Lo("text-max-width", 10) * size * Pango.SCALE))
        layout.set_wrap(Pango.WrapMode.WORD)
        layout.set_alignment(Pango.Alignment.CENTER)
    layout.set_text(text, -1)
    _, log = layout.get_pixel_extents()
    tw, th = log.width, log.height
    angle = 0.0
    if kind == "pt":
        x, y = view.xy(parts[0][0])
    elif kind == "poly":
        ring = max((p[0] for p in parts), key=len)
        pts = [view.xy(p) for p in ring]
        x = sum(p[0] for p in pts) / len(pts)
        y = sum(p[1] for p in pts) / len(pts)
    else:
        best = None
        for line in parts:
            pts = [view.xy(p) for p in line]
            for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
                d = math.hypot(x1 - x0, y1 - y0)
                if best is None or d > best[0]:
                    best = (d, x0, y0, x1, y1)
        if best is None or best[0] < tw:
            return
        d, x0, y0, x1, y1 = best
        x, y = (x0 + x1) / 2, (y0 + y1) / 2
        angle = math.atan2(y1 - y0, x1 - x0)
        if angle > math.pi / 2 or angle < -math.pi / 2:
            angle += math.pi
    if not (0 <= x < view.w and 0 <= y < view.h):
        return
    anchor = Lo("text-anchor", "center")
    off = Lo("text-offset", [0, 0])
    ox, oy = -tw / 2, -th / 2
    if "top" in anchor:
        oy = 0
    if "bottom" in anchor:
        oy = -th
    if "left" in anchor:
        ox = 0
    if "right" in anchor:
        ox = -tw
    ox += off[0] * size
    oy += off[1] * size
    pad = Lo("text-padding", 2)
    r = max(abs(math.cos(angle)) * tw + abs(math.sin(angle)) * th, 1) / 2
    rh = (abs(math.sin(angle)) * tw + abs(math.cos(angle)) * th) / 2
    cx, cy = x + ox + tw / 2, y + oy + th / 2
    box = (cx - r - pad, cy - rh - pad, cx + r + pad, cy + rh + pad)
    if not Lo("text-allow-overlap", False):
        for b in placed:
            if box[0] < b[2] and box[2] > b[0] and box[1] < b[3] and box[3] > b[1]:
                return
    placed.append(box)
    cr.save()
    cr.translate(x, y)
    cr.rotate(angle)
    cr.move_to(ox, oy)
    PangoCairo.layout_path(cr, layout)
    hw = P("text-halo-width", 0)
    if hw > 0:
        cr.set_line_width(2 * hw)
        cr.set_line_join(cairo.LINE_JOIN_ROUND)
        cr.set_source_rgba(*rgba(P("text-halo-color", "rgba(0,0,0,0)")))
        cr.stroke_preserve()
    cr.set_source_rgba(*rgba(P("text-color", "#000"), P("text-opacity", 1)))
    cr.fill()
    cr.restore()


# ------------------------------------------------------------------ main
def lonlat_to_px(lon, lat, z):
    n = 256 * 2 ** z
    s = math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat)))
    return (lon + 180) / 360 * n, (1 - s / math.pi) / 2 * n


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("style")
    ap.add_argument("--tile", help="z/x/y")
    ap.add_argument("--center", help="lon,lat")
    ap.add_argument("--z", type=int, default=14)
    ap.add_argument("--size", default="768x512")
    ap.add_argument("--tiles-dir")
    ap.add_argument("--bbox", default="106.6,20.8,106.8,20.9")
    ap.add_argument("--zooms", default="12-14")
    ap.add_argument("--scale", type=int, default=1, help="2 = @2x tiles (512 px, style zoom + 1)")
    ap.add_argument("-o", "--out", default="/tmp/preview.png")
    a = ap.parse_args()
    with open(a.style, encoding="utf-8") as f:
        style = json.load(f)
    sd = os.path.dirname(os.path.abspath(a.style))
    sources = {k: load_source(sd, v) for k, v in style["sources"].items()}
    if a.tile:
        z, x, y = map(int, a.tile.split("/"))
        render(style, sources, View(z, x * 256, y * 256, 256, 256), a.out, z - 1)
    elif a.center:
        lon, lat = map(float, a.center.split(","))
        w, h = map(int, a.size.split("x"))
        px, py = lonlat_to_px(lon, lat, a.z)
        render(style, sources, View(a.z, px - w / 2, py - h / 2, w, h), a.out, a.z - 1)
    else:
        b = list(map(float, a.bbox.split(",")))
        z0, _, z1 = a.zooms.partition("-")
        for z in range(int(z0), int(z1 or z0) + 1):
            x0, y0 = [int(v // 256) for v in lonlat_to_px(b[0], b[3], z)]
            x1, y1 = [int(v // 256) for v in lonlat_to_px(b[2], b[1], z)]
            for x in range(x0, x1 + 1):
                for y in range(y0, y1 + 1):
                    d = os.path.join(a.tiles_dir, str(z), str(x))
                    os.makedirs(d, exist_ok=True)
                    zz = z + (a.scale - 1)
                    render(style, sources, View(zz, x * 256 * a.scale, y * 256 * a.scale, 256 * a.scale, 256 * a.scale),
                           os.path.join(d, "%d%s.png" % (y, "@2x" if a.scale == 2 else "")), z - 1 + (a.scale - 1))
            print("z%d: %d tiles" % (z, (x1 - x0 + 1) * (y1 - y0 + 1)), flush=True)


if __name__ == "__main__":
    main()
