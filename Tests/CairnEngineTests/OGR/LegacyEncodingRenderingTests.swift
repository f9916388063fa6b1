@testable import CairnConfiguration
import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnEngine

/// District names stored in TCVN3 (the ".Vn" fonts' encoding), converted by the test's own table
/// (`VietnameseLegacyEncoder`, not the code under test), read with `"encoding": "tcvn3"`: through
/// GDAL (CSV with a WKT column) and through the native Shapefile reader, the labels come out as
/// those of the Unicode GeoJSON twin. Decomposed (NFD) names read through GDAL come out composed.
@Suite(.interop)
struct LegacyEncodingRenderingTests {
    static let labelTiles = [TileCoordinate(z: 10, x: 815, y: 451), TileCoordinate(z: 12, x: 3261, y: 1805)]

    /// The districts' Unicode names, longest first (so no name is replaced inside a longer one).
    static func districtNames(_ fixtures: OGRFixtures) throws -> [String] {
        let names = try GeoJSONPolygonFile.read(fixtures.districtsGeoJSON).compactMap { $0.properties["ten"] }
        return Set(names).sorted { ($0.utf8.count, $0) > ($1.utf8.count, $1) }
    }

    /// Replaces each name's UTF-8 bytes in `file` by its TCVN3 bytes, padded with spaces to the same
    /// length when `keepLength` (fixed-width DBF fields).
    static func recode(_ file: String, names: [String], keepLength: Bool) throws {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        for name in names {
            let unicode = [UInt8](name.utf8)
            var legacy = VietnameseLegacyEncoder.tcvn3(name)
            if keepLength { legacy += [UInt8](repeating: 0x20, count: unicode.count - legacy.count) }
            var replaced = 0
            var index = 0
            while index + unicode.count <= bytes.count {
                if bytes[index..<index + unicode.count].elementsEqual(unicode) {
                    bytes.replaceSubrange(index..<index + unicode.count, with: legacy)
                    index += legacy.count
                    replaced += 1
                } else {
                    index += 1
                }
            }
            try #require(replaced > 0, "\(name) not found in \(file)")
        }
        try Data(bytes).write(to: URL(fileURLWithPath: file))
    }

    /// Adds Cairn's `"encoding"` to the style's only source.
    static func setEncoding(_ encoding: String, in style: String) throws {
        let url = URL(fileURLWithPath: style)
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var sources = try #require(json["sources"] as? [String: [String: Any]])
        sources["d"]?["encoding"] = encoding
        json["sources"] = sources
        try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]).write(to: url)
    }

    static func names(_ style: String) throws -> Set<String> {
        let map = try MapLoader.load(MapConfiguration(name: "names", stylePath: style))
        let layer = try #require(map.layers.values.first)
        return Set(layer.features.compactMap { $0.properties["ten"]?.stringValue })
    }

    /// A TCVN3 copy of the districts: `csv` (through GDAL) or `shapefile` (native reader).
    static func tcvn3Copy(_ kind: String, fixtures: OGRFixtures, in folder: String) throws -> String {
        let names = try districtNames(fixtures)
        if kind == "csv" {
            let csv = folder + "/districts-tcvn3.csv"
            _ = try ExternalProgram.run(OGRFixtures.ogr2ogr, ["-f", "CSV", csv, fixtures.districtsGeoJSON, "-select", "ten",
                                                              "-lco", "GEOMETRY=AS_WKT"])
            try recode(csv, names: names, keepLength: false)
            return csv
        }
        let shapefile = folder + "/districts-tcvn3.shp"
        _ = try ExternalProgram.run(OGRFixtures.ogr2ogr, ["-f", "ESRI Shapefile", shapefile, fixtures.districtsGeoJSON, "-select", "ten",
                                                          "-lco", "ENCODING=UTF-8"])
        try recode(folder + "/districts-tcvn3.dbf", names: names, keepLength: true)
        return shapefile
    }

    @Test(arguments: ["csv", "shapefile"], labelTiles)
    func tcvn3NamesRenderTheLabelsOfTheUnicodeTwin(kind: String, tile: TileCoordinate) throws {
        let fixtures = try OGRFormatRenderingTests.fixtures()
        let folder = TestPaths.temporaryFolder()
        let copy = try Self.tcvn3Copy(kind, fixtures: fixtures, in: folder)
        let drawing = TwinStyle.Drawing.districts(labels: true)
        let twin = try TwinStyle.write(data: fixtures.districtsGeoJSON, drawing: drawing, in: folder, name: "geojson")
        let legacy = try TwinStyle.write(data: copy, crs: kind == "csv" ? "EPSG:4326" : nil, drawing: drawing, in: folder, name: "tcvn3-" + kind)
        try Self.setEncoding("tcvn3", in: legacy)

        #expect(try Self.names(legacy) == Self.names(twin))
        let comparison = try OGRFormatRenderingTests.compare(twin: twin, copy: legacy, at: tile, name: "tcvn3-" + kind)
        #expect(comparison.differingFraction <= 0.005,
                "\(kind) at \(tile): \(comparison.differingPixels) of \(comparison.totalPixels) pixels differ")
    }

    /// Without `"encoding"` the same bytes are not the names: the test's fixture really is TCVN3.
    @Test(arguments: ["csv", "shapefile"])
    func withoutTheEncodingTheNamesAreWrong(kind: String) throws {
        let fixtures = try OGRFormatRenderingTests.fixtures()
        let folder = TestPaths.temporaryFolder()
        let copy = try Self.tcvn3Copy(kind, fixtures: fixtures, in: folder)
        let drawing = TwinStyle.Drawing.districts(labels: true)
        let twin = try TwinStyle.write(data: fixtures.districtsGeoJSON, drawing: drawing, in: folder, name: "geojson")
        let legacy = try TwinStyle.write(data: copy, crs: kind == "csv" ? "EPSG:4326" : nil, drawing: drawing, in: folder, name: "raw-" + kind)
        let read = try Self.names(legacy), expected = try Self.names(twin)
        #expect(read.intersection(expected).count < expected.count / 2, "\(read)")
    }

    /// GDAL hands over the bytes as stored; decomposed Vietnamese is composed before it is labelled.
    @Test func decomposedNamesReadThroughGDALComeOutComposed() throws {
        let fixtures = try OGRFormatRenderingTests.fixtures()
        let folder = TestPaths.temporaryFolder()
        let original = try String(contentsOfFile: fixtures.districtsGeoJSON, encoding: .utf8)
        let decomposedJSON = folder + "/districts-nfd.geojson"
        try original.decomposedStringWithCanonicalMapping.write(toFile: decomposedJSON, atomically: true, encoding: .utf8)
        let flatGeobuf = folder + "/districts-nfd.fgb"
        _ = try ExternalProgram.run(OGRFixtures.ogr2ogr, ["-f", "FlatGeobuf", flatGeobuf, decomposedJSON])
        let style = try TwinStyle.write(data: flatGeobuf, drawing: .districts(labels: true), in: folder, name: "nfd")
        let names = try Self.names(style)
        let expected = try Set(Self.districtNames(fixtures).map(\.precomposedStringWithCanonicalMapping))
        #expect(names.count == 15)
        // Compared by scalars: Swift's String equality would call NFD and NFC equal.
        #expect(Set(names.map { Array($0.unicodeScalars) }) == Set(expected.map { Array($0.unicodeScalars) }))
    }
}
