import CairnCore
@testable import CairnVectorTile
import Foundation
import Testing

/// Map features to tile geometry: transform, clip, simplify, snap, winding, attributes, ids.
struct VectorTileEncoderTests {
    /// A 4096 m square tile with its origin at (1000, 2000), so one tile unit is one metre.
    static let bounds = BoundingBox(minX: 1000, minY: 2000, maxX: 5096, maxY: 6096)

    static func encode(_ features: [Feature], buffer: Int = 64, tolerance: Double = 1, attributes: Set<String>? = nil) -> [VectorTileFeature] {
        var encoder = VectorTileEncoder(bounds: bounds, buffer: buffer, tolerance: tolerance)
        encoder.addLayer(named: "t", features: features, attributes: attributes)
        return encoder.tile.layers[0].features
    }

    /// Map point for tile coordinates (x, y) of this tile.
    static func m(_ x: Double, _ y: Double) -> Point { Point(1000 + x, 6096 - y) }

    @Test func transformsToTileCoordinatesWithYDown() {
        let features = Self.encode([Feature(id: 5, geometry: .points([Self.m(10.4, 20.6), Self.m(-100, 5), Self.m(4100, 4100)]))])
        #expect(features == [VectorTileFeature(id: 5, type: .point, geometry: .points([Point(10, 21), Point(4100, 4100)]))])
    }

    @Test func linesAreClippedIntoPartsAndSimplified() {
        // Leaves the buffered tile on the right and comes back; a near-collinear vertex is simplified away.
        let line = [Self.m(0, 100), Self.m(1000, 100.3), Self.m(2000, 100), Self.m(5000, 100), Self.m(5000, 200), Self.m(3000, 200)]
        let features = Self.encode([Feature(geometry: .lines([line]))])
        #expect(features.first?.geometry == .lines([
            [Point(0, 100), Point(4160, 100)],
            [Point(4160, 200), Point(3000, 200)],
        ]))
        // Entirely outside: the feature is dropped; a line that collapses to one point as well.
        #expect(Self.encode([Feature(geometry: .lines([[Self.m(-500, -500), Self.m(-400, -300)]]))]).isEmpty)
        #expect(Self.encode([Feature(geometry: .lines([[Self.m(1, 1), Self.m(1.2, 1.1)]]))]).isEmpty)
    }

    @Test func polygonsAreClippedWoundAndKeepHoles() throws {
        // Exterior given counter-clockwise on screen (negative in tile coordinates), crossing the left edge;
        // the hole given with the same winding. Both must come out with MVT 2.1 winding.
        let exterior = [Self.m(-1000, 0), Self.m(-1000, 1000), Self.m(1000, 1000), Self.m(1000, 0), Self.m(-1000, 0)]
        let hole = [Self.m(100, 100), Self.m(100, 200), Self.m(200, 200), Self.m(200, 100), Self.m(100, 100)]
        let features = Self.encode([Feature(geometry: .polygons([[exterior, hole]]))])
        guard case .polygons(let polygons) = try #require(features.first).geometry else {
            Issue.record("not a polygon")
            return
        }
        #expect(polygons.count == 1 && polygons[0].count == 2)
        #expect(VectorTileDecoderState.signedArea(polygons[0][0]) > 0)
        #expect(VectorTileDecoderState.signedArea(polygons[0][1]) < 0)
        #expect(polygons[0][0].allSatisfy { $0.x >= -64 && $0.x <= 1000 })
        #expect(polygons[0][0].first == polygons[0][0].last)
        #expect(Set(polygons[0][0]) == [Point(-64, 0), Point(-64, 1000), Point(1000, 1000), Point(1000, 0)])

        // A sliver that collapses when snapped is dropped, with its feature.
        #expect(Self.encode([Feature(geometry: .polygons([[[Self.m(1, 1), Self.m(3, 1.2), Self.m(5, 1), Self.m(1, 1)]]]))]).isEmpty)
        // A polygon covering the whole tile becomes the buffered square.
        let world = [Self.m(-1e6, -1e6), Self.m(1e6, -1e6), Self.m(1e6, 1e6), Self.m(-1e6, 1e6), Self.m(-1e6, -1e6)]
        let covered = Self.encode([Feature(geometry: .polygons([[world]]))], buffer: 8)
        guard case .polygons(let square) = try #require(covered.first).geometry else { return }
        #expect(Set(square[0][0]) == [Point(-8, -8), Point(4104, -8), Point(4104, 4104), Point(-8, 4104)])
    }

    @Test func keepsChosenAttributesAndNonNegativeIds() {
        let features = Self.encode([
            Feature(id: -4, geometry: .points([Self.m(1, 1)]), properties: ["a": .int(1), "b": .string("x"), "c": .null]),
            Feature(id: 0, geometry: .points([Self.m(2, 2)]), properties: ["a": .int(2), "c": .null]),
        ], attributes: ["a", "c"])
        #expect(features.map(\.id) == [nil, 0])
        #expect(features.map(\.properties) == [["a": .int(1)], ["a": .int(2)]])
    }

    @Test func encodedTileDecodesToTheBuiltTile() throws {
        let encoder = InteropSupport.haiPhongEncoder()
        let bytes = encoder.encode()
        #expect(try VectorTileDecoder.decode(bytes) == encoder.tile)
        // Keys and values are shared within a layer.
        let names = encoder.tile.layers.flatMap { $0.features.flatMap { $0.properties.keys } }
        #expect(names.count > 10)
        #expect(bytes.count < 2_000)
    }

    /// Writes the fuzzer's seed corpus (Fuzz/VectorTileDecoder/corpus) from tiles this encoder makes.
    /// Runs only when asked: CAIRN_WRITE_FUZZ_SEEDS=1 swift test --filter writeFuzzSeedCorpus
    @Test(.enabled(if: ProcessInfo.processInfo.environment["CAIRN_WRITE_FUZZ_SEEDS"] != nil))
    func writeFuzzSeedCorpus() throws {
        let directory = InteropSupport.repositoryRoot.appendingPathComponent("Fuzz/VectorTileDecoder/corpus")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var seeds: [(String, [UInt8])] = []
        seeds.append(("hai-phong", InteropSupport.haiPhongEncoder().encode()))
        for (index, layer) in InteropSupport.haiPhongLayers().enumerated() {
            var encoder = VectorTileEncoder(bounds: InteropSupport.tileBounds(z: InteropSupport.z, x: InteropSupport.x, y: InteropSupport.y),
                                            extent: 256, buffer: 8, tolerance: 2)
            encoder.addLayer(named: layer.name, features: layer.features)
            seeds.append(("layer-\(index)", encoder.encode()))
        }
        seeds.append(("empty-layer", VectorTileWriter.encode(VectorTile(layers: [VectorTileLayer(name: "e")]))))
        seeds.append(("version-1", VectorTileWriter.encode(VectorTile(layers: [VectorTileLayer(name: "old", version: 1, features: [
            VectorTileFeature(id: 1, type: .polygon, geometry: .polygons([[[Point(0, 0), Point(0, 9), Point(9, 9), Point(0, 0)]]]),
                              properties: ["u": .int(Int64.max), "d": .double(-0.5)]),
            VectorTileFeature(type: .unknown, geometry: .points([])),
        ])]))))
        for (name, bytes) in seeds {
            try Data(bytes).write(to: directory.appendingPathComponent("\(name).mvt"))
        }
    }
}
