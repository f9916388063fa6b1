import CairnCore
import CairnVectorTile
import Foundation

/// Shared pieces of the interoperability tests: a realistic Hai Phong tile, paths and subprocesses.
enum InteropSupport {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The venv scripts/install-deps creates with PyPI mapbox-vector-tile.
    static let python = repositoryRoot.appendingPathComponent(".build/mvt-python/bin/python").path
    static var hasMapboxVectorTile: Bool { FileManager.default.isExecutableFile(atPath: python) }
    static var hasOgrinfo: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/ogrinfo") }
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    /// z/x/y of the tile over central Hai Phong, and its EPSG:3857 box.
    static let z = 14, x = 13_047, y = 7_209

    static func tileBounds(z: Int, x: Int, y: Int) -> BoundingBox {
        let half = 20_037_508.342789244
        let size = 2 * half / Double(1 << z)
        return BoundingBox(minX: -half + Double(x) * size, minY: half - Double(y + 1) * size,
                           maxX: -half + Double(x + 1) * size, maxY: half - Double(y) * size)
    }

    /// Features in EPSG:3857 with shapes and attributes like real ones: a district polygon with a
    /// lake hole that also crosses the tile edge, a two-part island, a road as a multi-line leaving
    /// and re-entering the tile (parts that do not cross: GDAL splits lines where they cross), points with Vietnamese names, ints, doubles and bools.
    static func haiPhongLayers() -> [(name: String, features: [Feature])] {
        let b = tileBounds(z: z, x: x, y: y)
        func p(_ fx: Double, _ fy: Double) -> Point { Point(b.minX + fx * b.width, b.minY + fy * b.height) }
        let district = Feature(id: 31_1, geometry: .polygons([[
            [p(0.1, 0.1), p(0.7, 0.12), p(1.2, 0.5), p(0.65, 0.9), p(0.08, 0.8), p(0.1, 0.1)],
            [p(0.3, 0.3), p(0.3, 0.5), p(0.5, 0.5), p(0.5, 0.3), p(0.3, 0.3)],
        ]]), properties: ["ten": .string("Quận Ngô Quyền"), "ma": .int(304), "dan_so": .int(168_000),
                          "dien_tich_km2": .double(11.26), "do_thi": .bool(true)])
        let islands = Feature(id: 42, geometry: .polygons([
            [[p(0.75, 0.7), p(0.9, 0.7), p(0.9, 0.85), p(0.75, 0.85), p(0.75, 0.7)]],
            [[p(0.8, 0.2), p(0.95, 0.25), p(0.85, 0.35), p(0.8, 0.2)]],
        ]), properties: ["ten": .string("Đảo Cát Bà"), "ma": .int(-1), "dien_tich_km2": .double(0.5), "do_thi": .bool(false)])
        let road = Feature(id: 7, geometry: .lines([
            [p(-0.2, 0.9), p(0.2, 0.92), p(0.4, 0.95), p(0.41, 0.95), p(0.7, 0.97)],
            [p(0.6, 0.1), p(0.9, 0.15), p(1.5, 0.2), p(0.95, 0.3), p(0.7, 0.35)],
        ]), properties: ["ten": .string("Đường Lạch Tray"), "lan": .int(4), "mot_chieu": .bool(false), "toc_do": .double(50.5)])
        let places = [
            Feature(id: 1, geometry: .points([p(0.25, 0.75)]),
                    properties: ["ten": .string("Nhà hát Lớn Hải Phòng"), "hang": .int(1), "cao": .double(4.25), "mo_cua": .bool(true)]),
            Feature(id: 2, geometry: .points([p(0.6, 0.35), p(0.62, 0.36)]),
                    properties: ["ten": .string("Chợ Sắt"), "hang": .int(2), "cao": .double(3.5), "mo_cua": .bool(false)]),
            Feature(id: 3, geometry: .points([p(1.5, 1.5)]), properties: ["ten": .string("ngoài ô")]),
        ]
        return [("ranh_gioi", [district, islands]), ("duong", [road]), ("dia_diem", places)]
    }

    static func haiPhongEncoder(tolerance: Double = 1) -> VectorTileEncoder {
        var encoder = VectorTileEncoder(bounds: tileBounds(z: z, x: x, y: y), tolerance: tolerance)
        for layer in haiPhongLayers() { encoder.addLayer(named: layer.name, features: layer.features) }
        return encoder
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-mvt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs a program and returns its exit status and standard output (standard error is appended
    /// to the output when it fails, for the test message).
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var text = String(decoding: data, as: UTF8.self)
        if process.terminationStatus != 0 { text += String(decoding: errors, as: UTF8.self) }
        return (process.terminationStatus, text)
    }

    /// Tile coordinates back to EPSG:3857, as a reader georeferencing z/x/y.pbf does.
    static func mapPoint(_ t: Point, bounds: BoundingBox, extent: Int) -> Point {
        Point(bounds.minX + t.x * bounds.width / Double(extent), bounds.maxY - t.y * bounds.height / Double(extent))
    }
}
