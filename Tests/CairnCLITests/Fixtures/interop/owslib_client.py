"""OWSLib, a WMTS client nobody here wrote, against a live Cairn.

usage: owslib_client.py CAPABILITIES_URL LAYER OUTPUT_FOLDER MATRIXSET:MATRIX:ROW:COL ...

Reads the capabilities, then fetches every requested tile twice: with GetTile in KVP
encoding (WebMapTileService.gettile) and through the layer's RESTful ResourceURL template.
Writes the tiles to OUTPUT_FOLDER/<set>-<matrix>-<row>-<col>-{kvp,rest}.png and prints a JSON
summary on standard output.
"""
import json
import os
import sys
import urllib.request

from owslib.wmts import WebMapTileService


def main():
    url, layer_name, folder = sys.argv[1:4]
    requests = [argument.split(":") for argument in sys.argv[4:]]
    service = WebMapTileService(url, version="1.0.0")
    layer = service.contents[layer_name]
    summary = {
        "title": service.identification.title,
        "type": service.identification.type,
        "layers": sorted(service.contents),
        "styles": sorted(layer.styles),
        "formats": list(layer.formats),
        "links": sorted(layer.tilematrixsetlinks),
        "matrixSets": {
            identifier: {
                "crs": matrix_set.crs,
                "matrices": len(matrix_set.tilematrix),
                "topLeftCorner0": list(matrix_set.tilematrix["0"].topleftcorner) if "0" in matrix_set.tilematrix else None,
                "scaleDenominator0": matrix_set.tilematrix["0"].scaledenominator if "0" in matrix_set.tilematrix else None,
            }
            for identifier, matrix_set in service.tilematrixsets.items()
        },
        "operations": [operation.name for operation in service.operations],
        "resourceTemplates": [resource["template"] for resource in layer.resourceURLs if resource.get("resourceType") == "tile"],
        "tiles": [],
    }
    style = next(iter(layer.styles))
    for matrix_set, matrix, row, column in requests:
        name = f"{matrix_set}-{matrix}-{row}-{column}"
        kvp = service.gettile(layer=layer_name, tilematrixset=matrix_set, tilematrix=matrix,
                              row=int(row), column=int(column), format="image/png", style=style).read()
        rest_url = (summary["resourceTemplates"][0].replace("{Style}", style).replace("{TileMatrixSet}", matrix_set)
                    .replace("{TileMatrix}", matrix).replace("{TileRow}", row).replace("{TileCol}", column))
        with urllib.request.urlopen(rest_url) as response:
            rest = response.read()
        for kind, data in (("kvp", kvp), ("rest", rest)):
            with open(os.path.join(folder, f"{name}-{kind}.png"), "wb") as output:
                output.write(data)
        summary["tiles"].append({"name": name, "kvpBytes": len(kvp), "restBytes": len(rest),
                                 "kvpIsPNG": kvp[:8] == b"\x89PNG\r\n\x1a\n", "restIsPNG": rest[:8] == b"\x89PNG\r\n\x1a\n"})
    json.dump(summary, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
