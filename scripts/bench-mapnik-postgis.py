#!/usr/bin/python3
"""Writes a copy of the Mapnik reference style (../shared/bench/style.xml) whose four GeoJSON layers read
the same data from PostGIS tables instead, for scripts/bench's PostGIS section.

Usage: bench-mapnik-postgis.py STYLE_XML OUT_XML --host H --port P --user U --dbname D

Every <Datasource> of type geojson naming data/synth/LAYER.geojson becomes Mapnik's postgis datasource on
table LAYER (geometry column `geom`, SRID 4326, the table's extent given so Mapnik does not ask for it).
Anything else in the style is left as it is; a style whose datasources do not all match is an error, so the
comparison never silently renders fewer layers.
"""
import argparse
import re
import sys
from xml.sax.saxutils import escape

GEOJSON_DATASOURCE = re.compile(
    r'<Datasource><Parameter name="type">geojson</Parameter><Parameter name="file">data/synth/(\w+)\.geojson</Parameter></Datasource>')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("style")
    ap.add_argument("out")
    ap.add_argument("--host", required=True)
    ap.add_argument("--port", required=True, type=int)
    ap.add_argument("--user", required=True)
    ap.add_argument("--dbname", required=True)
    ap.add_argument("--extent", required=True, help="minx,miny,maxx,maxy of the data in EPSG:4326")
    a = ap.parse_args()

    with open(a.style, encoding="utf-8") as f:
        xml = f.read()
    total = xml.count("<Datasource>")

    def postgis(match):
        params = {"type": "postgis", "host": a.host, "port": str(a.port), "user": a.user, "dbname": a.dbname,
                  "table": match.group(1), "geometry_field": "geom", "srid": "4326", "extent": a.extent,
                  "estimate_extent": "false"}
        return "<Datasource>" + "".join('<Parameter name="%s">%s</Parameter>' % (k, escape(v)) for k, v in params.items()) \
            + "</Datasource>"

    xml, replaced = GEOJSON_DATASOURCE.subn(postgis, xml)
    if replaced == 0 or replaced != total:
        sys.exit("bench-mapnik-postgis.py: %s: replaced %d of %d datasources; expected every one to be a "
                 "data/synth/*.geojson file" % (a.style, replaced, total))
    with open(a.out, "w", encoding="utf-8") as f:
        f.write(xml)


if __name__ == "__main__":
    main()
