import CairnTestSupport
import Foundation
import Testing

/// `OSMPBFWriter` makes files GDAL's OSM driver reads back: the Hải Phòng districts as
/// `multipolygons` with their names, areas and vertex counts; holes; tagged points and lines.
@Suite(.interop) struct OSMPBFWriterTests {
    typealias Coordinate = OSMPBFWriter.Coordinate

    @Test func districtsReadBackAsMultipolygons() throws {
        let districts = try GeoJSONPolygonFile.read(RepositoryData.data("hp_districts.geojson"))
        #expect(districts.count == 15)
        let path = try Self.temporaryFile("districts.osm.pbf")
        try OSMPBFWriter.write(polygons: districts.map { district in
            (tags: ["boundary": "administrative", "admin_level": "6", "name": district.properties["ten"] ?? ""],
             polygons: district.polygons)
        }, to: path)

        let summary = try Self.run("/usr/bin/ogrinfo", ["-ro", "-so", path, "multipolygons"])
        #expect(summary.contains("Geometry: Multi Polygon"), "\(summary)")
        // The OSM driver reports no feature count in a summary (-1): count with SQL.
        let count = try Self.run("/usr/bin/ogrinfo", ["-ro", "-q", "-sql", "SELECT COUNT(*) AS n FROM multipolygons", path])
        #expect(count.contains("n (Integer) = 15"), "\(count)")

        let features = try Self.readLayer(path, "multipolygons")
        #expect(features.count == 15)
        let written = Dictionary(uniqueKeysWithValues: districts.map { ($0.properties["ten"]!, $0.polygons) })
        for feature in features {
            let name = try #require(feature.properties["name"] as? String)
            let source = try #require(written[name], "unexpected name \(name)")
            #expect(feature.properties["boundary"] as? String == "administrative")
            #expect(feature.properties["admin_level"] as? String == "6")
            #expect(feature.polygons.count == source.count, "\(name)")
            #expect(Self.vertexCount(feature.polygons) == Self.vertexCount(source), "\(name)")
            // Coordinates are rounded to 1e-7 degrees: areas of ~1e-3 square degrees agree to far better than 1e-6.
            let area = Self.area(source)
            #expect(abs(Self.area(feature.polygons) - area) <= area * 1e-6, "\(name)")
        }
    }

    @Test func holesBecomeInnerRings() throws {
        let outer: [Coordinate] = [(106.0, 20.0), (106.1, 20.0), (106.1, 20.1), (106.0, 20.1), (106.0, 20.0)]
        let hole: [Coordinate] = [(106.02, 20.02), (106.02, 20.05), (106.05, 20.05), (106.05, 20.02), (106.02, 20.02)]
        let island: [Coordinate] = [(106.2, 20.0), (106.3, 20.0), (106.3, 20.1), (106.2, 20.0)]
        let path = try Self.temporaryFile("holes.osm.pbf")
        try OSMPBFWriter.write(polygons: [(tags: ["name": "Ao", "landuse": "grass"], polygons: [[outer, hole], [island]])], to: path)

        let features = try Self.readLayer(path, "multipolygons")
        let feature = try #require(features.first)
        #expect(features.count == 1)
        #expect(feature.properties["name"] as? String == "Ao")
        #expect(feature.polygons.map(\.count).sorted() == [1, 2])
        #expect(abs(Self.area(feature.polygons) - (0.01 - 0.0009 + 0.005)) < 1e-9)
    }

    @Test func pointsAndLines() throws {
        let path = try Self.temporaryFile("points-lines.osm.pbf")
        try OSMPBFWriter.write(
            points: [(tags: ["name": "Nhà hát Lớn", "amenity": "theatre"], point: (106.6835, 20.8583)),
                     (tags: [:], point: (106.7, 20.9))],
            lines: [(tags: ["highway": "primary", "name": "Lạch Tray"], line: [(106.68, 20.85), (106.69, 20.84), (106.70, 20.83)])],
            to: path)

        let points = try Self.readLayer(path, "points")
        #expect(points.count == 1) // GDAL leaves untagged nodes out
        #expect(points.first?.properties["name"] as? String == "Nhà hát Lớn")
        #expect(points.first?.point.map { abs($0.lon - 106.6835) < 1e-9 && abs($0.lat - 20.8583) < 1e-9 } == true)

        let lines = try Self.readLayer(path, "lines")
        #expect(lines.count == 1)
        #expect(lines.first?.properties["highway"] as? String == "primary")
        #expect(lines.first?.line?.count == 3)
    }

    // MARK: - Reading back with GDAL

    struct ReadFeature {
        var properties: [String: Any]
        var polygons: [[[Coordinate]]] = []
        var line: [Coordinate]?
        var point: Coordinate?
    }

    static func readLayer(_ path: String, _ layer: String) throws -> [ReadFeature] {
        let json = try run("/usr/bin/ogr2ogr", ["-f", "GeoJSON", "/vsistdout/", path, layer])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let features = try #require(root["features"] as? [[String: Any]])
        return features.map { feature in
            var read = ReadFeature(properties: feature["properties"] as? [String: Any] ?? [:])
            let geometry = feature["geometry"] as? [String: Any] ?? [:]
            func coordinates(_ value: Any?) -> [Coordinate] {
                (value as? [[Double]] ?? []).map { (lon: $0[0], lat: $0[1]) }
            }
            switch geometry["type"] as? String {
            case "MultiPolygon":
                read.polygons = (geometry["coordinates"] as? [[Any]] ?? []).map { $0.map(coordinates) }
            case "Polygon":
                read.polygons = [(geometry["coordinates"] as? [Any] ?? []).map(coordinates)]
            case "LineString":
                read.line = coordinates(geometry["coordinates"])
            case "Point":
                if let position = geometry["coordinates"] as? [Double] { read.point = (lon: position[0], lat: position[1]) }
            default:
                break
            }
            return read
        }
    }

    /// Vertices without each ring's closing repeat.
    static func vertexCount(_ polygons: [[[Coordinate]]]) -> Int {
        polygons.flatMap { $0 }.reduce(0) { $0 + $1.count - 1 }
    }

    /// Outer rings minus holes, in square degrees (shoelace; orientation ignored).
    static func area(_ polygons: [[[Coordinate]]]) -> Double {
        polygons.reduce(0) { total, rings in
            rings.enumerated().reduce(total) { sum, ring in
                let points = ring.element
                var twice = 0.0
                for index in points.indices.dropLast() {
                    twice += points[index].lon * points[index + 1].lat - points[index + 1].lon * points[index].lat
                }
                return sum + (ring.offset == 0 ? 1 : -1) * abs(twice) / 2
            }
        }
    }

    static func temporaryFile(_ name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-osm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent(name).path
    }

    /// Standard output of a GDAL program; throws with its standard error when it fails.
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        try ExternalProgram.run(executable, arguments)
    }
}
