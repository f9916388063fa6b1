#!/usr/bin/env python3
"""Writes the tiny shapefile fixtures in this folder (run it here: python3 make_fixtures.py).

Written by hand rather than with ogr2ogr so that every byte is under control: the DBF
language-driver byte, deleted-record flags, odd field types (L, D, I), Z/M shape types, ring
order, and deliberately truncated or corrupt files. `ogrinfo -al <file>.shp` reads them all
(except the broken ones) and is the reference the tests were checked against.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

NULL, POINT, POLYLINE, POLYGON, MULTIPOINT = 0, 1, 3, 5, 8
PRJ_WGS84 = ('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],'
             'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]')


def box_of(points):
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def record_content(shape_type, geometry):
    """geometry: None, a point (x, y), a list of points (multipoint) or a list of parts."""
    base = shape_type % 10
    has_z = shape_type in (11, 13, 15, 18)
    has_m = has_z or shape_type in (21, 23, 25, 28)
    if geometry is None:
        return struct.pack('<i', NULL)
    if base == POINT:
        x, y = geometry
        out = struct.pack('<idd', shape_type, x, y)
        if has_z:
            out += struct.pack('<d', 7.0)
        if has_m:
            out += struct.pack('<d', 42.0)
        return out
    if base == MULTIPOINT:
        points = geometry
        out = struct.pack('<i4di', shape_type, *box_of(points), len(points))
        parts_prefix = b''
    else:
        points = [p for part in geometry for p in part]
        out = struct.pack('<i4dii', shape_type, *box_of(points), len(geometry), len(points))
        start = 0
        for part in geometry:
            out += struct.pack('<i', start)
            start += len(part)
    for x, y in points:
        out += struct.pack('<dd', x, y)
    if has_z:
        out += struct.pack('<2d', 0.0, 10.0) + b''.join(struct.pack('<d', 1.5) for _ in points)
    if has_m:
        out += struct.pack('<2d', 0.0, 5.0) + b''.join(struct.pack('<d', 2.5) for _ in points)
    return out


def shp_header(shape_type, length_bytes, all_points):
    box = box_of(all_points) if all_points else (0, 0, 0, 0)
    return (struct.pack('>i5ii', 9994, 0, 0, 0, 0, 0, length_bytes // 2)
            + struct.pack('<ii', 1000, shape_type) + struct.pack('<4d', *box) + struct.pack('<4d', 0, 0, 0, 0))


def flatten(geometry):
    if geometry is None:
        return []
    if isinstance(geometry, tuple):
        return [geometry]
    if geometry and isinstance(geometry[0], tuple):
        return list(geometry)
    return [p for part in geometry for p in part]


def write_shp(name, shape_type, geometries, shx=True):
    records = b''
    index = b''
    offset = 100
    for number, geometry in enumerate(geometries, start=1):
        content = record_content(shape_type, geometry)
        records += struct.pack('>ii', number, len(content) // 2) + content
        index += struct.pack('>ii', offset // 2, len(content) // 2)
        offset += 8 + len(content)
    all_points = [p for g in geometries for p in flatten(g)]
    with open(os.path.join(HERE, name + '.shp'), 'wb') as f:
        f.write(shp_header(shape_type, 100 + len(records), all_points) + records)
    if shx:
        with open(os.path.join(HERE, name + '.shx'), 'wb') as f:
            f.write(shp_header(shape_type, 100 + len(index), all_points) + index)


def write_dbf(name, fields, rows, encoding='utf-8', ldid=0, deleted=()):
    """fields: (name, type, length, decimals); rows: lists of already formatted values or None."""
    header_length = 32 + 32 * len(fields) + 1
    record_length = 1 + sum(f[2] for f in fields)
    out = struct.pack('<B3BIHH', 3, 125, 11, 25, len(rows), header_length, record_length)
    out += b'\0' * 17 + bytes([ldid]) + b'\0\0'
    for field_name, field_type, length, decimals in fields:
        out += field_name.encode('ascii').ljust(11, b'\0') + field_type.encode('ascii') + b'\0' * 4
        out += bytes([length, decimals]) + b'\0' * 14
    out += b'\r'
    for row_number, row in enumerate(rows):
        out += b'*' if row_number in deleted else b' '
        for (field_name, field_type, length, decimals), value in zip(fields, row):
            if field_type == 'I':
                out += struct.pack('<i', value or 0)
                continue
            text = b'' if value is None else str(value).encode(encoding)
            assert len(text) <= length, (field_name, value)
            out += text.rjust(length) if field_type in 'NF' else text.ljust(length)
    out += b'\x1a'
    with open(os.path.join(HERE, name + '.dbf'), 'wb') as f:
        f.write(out)


def write_text(name, ext, text):
    with open(os.path.join(HERE, name + '.' + ext), 'w', encoding='utf-8') as f:
        f.write(text)


# Points with every DBF field type, nulls, a Null shape and a deleted record; UTF-8 from .cpg.
write_shp('points', POINT, [(106.68, 20.86), (106.66, 20.93), None, (106.70, 20.80), (106.60, 20.90)])
write_dbf('points',
          [('NAME', 'C', 30, 0), ('COUNT', 'N', 9, 0), ('RATIO', 'N', 12, 3), ('HEIGHT', 'F', 10, 2),
           ('OK', 'L', 1, 0), ('DAY', 'D', 8, 0), ('CODE', 'I', 4, 0)],
          [['Hải Phòng', 2029, '0.125', '12.50', 'T', '20250701', 7],
           ['Thủy Nguyên', -3, '1.000', '', 'F', '', -9],
           ['null shape', 1, '2.000', '1.00', '?', '20000101', 1],
           [None, None, None, None, None, None, 0],
           ['deleted row', 5, '5.000', '5.00', 'T', '20240101', 5]],
          deleted={4})
write_text('points', 'cpg', 'UTF-8')
write_text('points', 'prj', PRJ_WGS84)

# MultiPoint, no .shx (records are walked in order), no .prj.
write_shp('multipoints', MULTIPOINT, [[(0, 0), (1, 1), (2, 0)], [(10, 10)]], shx=False)
write_dbf('multipoints', [('ID', 'N', 4, 0)], [[1], [2]])

# Two-part line and a simple line.
write_shp('lines', POLYLINE, [[[(0, 0), (1, 1)], [(2, 2), (3, 2), (4, 3)]], [[(5, 5), (6, 6)]]])
write_dbf('lines', [('NAME', 'C', 10, 0)], [['two parts'], ['one part']])

# Rings: clockwise outers, counter-clockwise holes.
square_cw = [(0, 0), (0, 10), (10, 10), (10, 0), (0, 0)]
hole_ccw = [(2, 2), (4, 2), (4, 4), (2, 4), (2, 2)]
far_cw = [(20, 0), (20, 5), (25, 5), (25, 0), (20, 0)]
far_hole_ccw = [(21, 1), (22, 1), (22, 2), (21, 2), (21, 1)]
write_shp('polygons', POLYGON, [
    [square_cw, hole_ccw],                          # polygon with a hole
    [far_hole_ccw, square_cw, far_cw, hole_ccw],    # multipolygon, holes listed before/after their outers
    [far_cw],                                       # plain polygon
])
write_dbf('polygons', [('KIND', 'C', 20, 0)], [['hole'], ['multi'], ['simple']])

# Z and M variants: the extra ordinates must be ignored.
write_shp('point_z', 11, [(1.0, 2.0)])
write_shp('multipoint_m', 28, [[(1.0, 2.0), (3.0, 4.0)]])
write_shp('polyline_z', 13, [[[(0, 0), (1, 1), (2, 0)]]])
write_shp('polygon_m', 25, [[square_cw, hole_ccw]])
write_shp('polygon_z', 15, [[square_cw]])

# Latin-1 text, no .cpg; language driver 0x57 (ANSI, what GDAL writes) names the encoding.
# 'Ã©' in Latin-1 is the bytes C3 A9, which are also valid UTF-8 ('é'): only the driver byte tells.
write_shp('latin1', POINT, [(0, 0), (1, 1), (2, 2)])
write_dbf('latin1', [('NAME', 'C', 20, 0)], [['Café Ñandú'], ['Größe'], ['Ã©']], encoding='latin-1', ldid=0x57)

# Broken files: a .shp cut in the middle of its second record, and a record claiming 2^31-1 points.
write_shp('truncated', POLYGON, [[square_cw], [far_cw]], shx=False)
with open(os.path.join(HERE, 'truncated.shp'), 'r+b') as f:
    f.truncate(100 + 8 + 44 + 4 + 16 * 5 + 30)
write_shp('huge_count', POLYGON, [[square_cw]], shx=False)
with open(os.path.join(HERE, 'huge_count.shp'), 'r+b') as f:
    f.seek(100 + 8 + 40)
    f.write(struct.pack('<i', 0x7fffffff))
