import CairnCore
import CairnVectorTile
import Foundation
import Testing
import CairnTestSupport

/// Tiles Cairn encodes, read back by GDAL's MVT driver (`ogrinfo`), which georeferences a
/// `z/x/y.pbf` file from its path (CLIP=NO, so the buffer outside the tile is read too): same layers, features, ids, attributes and EPSG:3857 geometry.
struct GDALInteropTests {
    struct OGRFeature {
        var attributes: [String: (type: String, value: String)] = [:]
        var wkt = ""
    }

    /// Parses `ogrinfo -al -q` text: layer name -> features in order.
    static func parseOgrinfo(_ text: String) -> [String: [OGRFeature]] {
        var layers: [String: [OGRFeature]] = [:]
        var layer = ""
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = String(rawLine)
            if line.hasPrefix("Layer name: ") {
                layer = String(line.dropFirst("Layer name: ".count))
                layers[layer] = []
            } else if line.hasPrefix("OGRFeature(") {
                layers[layer, default: []].append(OGRFeature())
            } else if line.hasPrefix("  "), !layer.isEmpty, var feature = layers[layer]?.last {
                let body = line.dropFirst(2)
                if let open = body.firstIndex(of: "("), let close = body.range(of: ") = "), open < close.lowerBound,
                   !body.hasPrefix("POLYGON"), !body.hasPrefix("MULTI"), !body.hasPrefix("LINESTRING"), !body.hasPrefix("POINT") {
                    let name = String(body[..<open]).trimmingCharacters(in: .whitespaces)
                    let type = String(body[body.index(after: open)..<close.lowerBound])
                    feature.attributes[name] = (type, String(body[close.upperBound...]))
                } else {
                    feature.wkt = String(body)
                }
                layers[layer]![layers[layer]!.count - 1] = feature
            }
        }
        return layers
    }

    static func sortedPairs(_ values: [Double]) -> [Double] {
        var pairs: [(Double, Double)] = []
        for index in stride(from: 0, to: values.count - 1, by: 2) { pairs.append((values[index], values[index + 1])) }
        pairs.sort { a, b in a.0 != b.0 ? a.0 < b.0 : a.1 < b.1 }
        return pairs.flatMap { [$0.0, $0.1] }
    }

    static func numbers(inWKT wkt: String) -> [Double] {
        var result: [Double] = []
        var current = ""
        for c in wkt {
            if c.isNumber || c == "." || c == "-" || c == "e" || c == "E" || c == "+" {
                current.append(c)
            } else {
                if let v = Double(current) { result.append(v) }
                current = ""
            }
        }
        if let v = Double(current) { result.append(v) }
        return result
    }

    @Test(.interop)
    func ogrinfoReadsCairnTiles() throws {
        let encoder = InteropSupport.haiPhongEncoder()
        let tile = encoder.tile
        let directory = try InteropSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tileDirectory = directory.appendingPathComponent("\(InteropSupport.z)/\(InteropSupport.x)")
        try FileManager.default.createDirectory(at: tileDirectory, withIntermediateDirectories: true)
        let file = tileDirectory.appendingPathComponent("\(InteropSupport.y).pbf")
        try Data(encoder.encode()).write(to: file)

        let (status, output) = try InteropSupport.run("/usr/bin/ogrinfo", ["-al", "-q", "-oo", "CLIP=NO", file.path])
        try #require(status == 0, "ogrinfo failed: \(output)")
        let layers = Self.parseOgrinfo(output)
        #expect(Set(layers.keys) == Set(tile.layers.map(\.name)))
        #expect(tile.layers.map(\.features.count) == [2, 1, 2])

        let bounds = InteropSupport.tileBounds(z: InteropSupport.z, x: InteropSupport.x, y: InteropSupport.y)
        for layer in tile.layers {
            let ogrFeatures = try #require(layers[layer.name])
            try #require(ogrFeatures.count == layer.features.count, "layer \(layer.name): GDAL sees \(ogrFeatures.count) features")
            for (feature, ogr) in zip(layer.features, ogrFeatures) {
                #expect(ogr.attributes["mvt_id"]?.value == feature.id.map(String.init))
                for (key, value) in feature.properties {
                    let seen = ogr.attributes[key]
                    switch value {
                    case .string(let s): #expect(seen?.value == s, "\(key)")
                    case .int(let i): #expect(seen?.value == String(i), "\(key)")
                    case .double(let d): #expect(seen.flatMap { Double($0.value) } == d, "\(key)")
                    case .bool(let b):
                        #expect(seen?.type == "Integer(Boolean)" && seen?.value == (b ? "1" : "0"), "\(key)")
                    case .null: Issue.record("null value in the tile")
                    }
                }
                #expect(ogr.attributes.count == feature.properties.count + (feature.id == nil ? 0 : 1))

                var expected: [Double] = []
                feature.geometry.forEachPoint { t in
                    let m = InteropSupport.mapPoint(t, bounds: bounds, extent: layer.extent)
                    expected += [m.x, m.y]
                }
                var seen = Self.numbers(inWKT: ogr.wkt)
                #expect(seen.count == expected.count, "\(layer.name): \(ogr.wkt)")
                if case .polygons = feature.geometry {
                    // GDAL may start or orient rings differently: compare the vertices as sorted pairs.
                    seen = Self.sortedPairs(seen)
                    expected = Self.sortedPairs(expected)
                }
                #expect(zip(seen, expected).allSatisfy { abs($0 - $1) < 1e-3 }, "\(layer.name): \(ogr.wkt)")
                // GDAL reports single geometries as MULTI* when the layer also holds multi ones.
                let kind: String
                switch feature.geometry {
                case .points(let points): kind = points.count == 1 ? "POINT" : "MULTIPOINT"
                case .lines(let lines): kind = lines.count == 1 ? "LINESTRING" : "MULTILINESTRING"
                case .polygons(let polygons): kind = polygons.count == 1 ? "POLYGON" : "MULTIPOLYGON"
                }
                #expect(ogr.wkt.hasPrefix(kind + " ") || ogr.wkt.hasPrefix("MULTI" + kind + " "), "\(ogr.wkt.prefix(40))")
            }
        }
        // Against the source features: GDAL's points are within one tile unit of the original map coordinates.
        let unit = bounds.width / 4096
        let original = InteropSupport.haiPhongLayers().first { $0.name == "dia_diem" }!.features
        let gdalPlaces = try #require(layers["dia_diem"])
        for (feature, ogr) in zip(original.prefix(2), gdalPlaces) {
            var source: [Double] = []
            feature.geometry.forEachPoint { source += [$0.x, $0.y] }
            let seen = Self.numbers(inWKT: ogr.wkt)
            #expect(seen.count == source.count && zip(seen, source).allSatisfy { abs($0 - $1) <= unit }, "\(ogr.wkt)")
        }
        // The district keeps its lake as a hole, the road became several parts at the tile edge.
        let district = try #require(tile.layer(named: "ranh_gioi")?.features.first)
        guard case .polygons(let polygons) = district.geometry else { Issue.record("district is not a polygon"); return }
        #expect(polygons.count == 1 && polygons[0].count == 2)
        guard case .lines(let lines) = tile.layer(named: "duong")?.features.first?.geometry else { Issue.record("road"); return }
        #expect(lines.count == 3)
    }
}
