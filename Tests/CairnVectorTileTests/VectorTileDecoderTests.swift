import CairnCore
@testable import CairnVectorTile
import CairnZlib
import Testing

/// Decoding hand-built tiles: values, ids, every geometry type, winding and the version-1 rules.
struct VectorTileDecoderTests {
    @Test func decodesTheSpecExamplePoint() throws {
        // Fixture-like: layer "hello", one point (25, 17), property hello=world, no id.
        var feature = ProtobufWriter()
        feature.writePackedField(2, [0, 0])
        feature.writeVarintField(3, 1)
        feature.writePackedField(4, [9, 50, 34])
        var layer = ProtobufWriter()
        layer.writeVarintField(15, 2)
        layer.writeStringField(1, "hello")
        layer.writeBytesField(2, feature.bytes)
        layer.writeStringField(3, "hello")
        var value = ProtobufWriter()
        value.writeStringField(1, "world")
        layer.writeBytesField(4, value.bytes)
        var tile = ProtobufWriter()
        tile.writeBytesField(3, layer.bytes)

        let decoded = try VectorTileDecoder.decode(tile.bytes)
        #expect(decoded.layers.count == 1)
        let hello = try #require(decoded.layer(named: "hello"))
        #expect(hello.extent == 4096)
        #expect(hello.version == 2)
        #expect(hello.features == [
            VectorTileFeature(id: nil, type: .point, geometry: .points([Point(25, 17)]), properties: ["hello": .string("world")])
        ])
    }

    @Test func emptyBufferIsATileWithoutLayers() throws {
        #expect(try VectorTileDecoder.decode([]) == VectorTile())
    }

    @Test func readsEveryValueType() throws {
        var layer = ProtobufWriter()
        layer.writeVarintField(15, 2)
        layer.writeStringField(1, "v")
        var feature = ProtobufWriter()
        feature.writeVarintField(1, 42)
        feature.writePackedField(2, [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7])
        feature.writeVarintField(3, 1)
        feature.writePackedField(4, [9, 2, 2])
        layer.writeBytesField(2, feature.bytes)
        for key in ["s", "f", "d", "i", "u", "z", "b", "big"] { layer.writeStringField(3, key) }
        var values: [[UInt8]] = []
        var w = ProtobufWriter(); w.writeStringField(1, "Hà Nội"); values.append(w.bytes)
        w = ProtobufWriter(); w.writeKey(2, .fixed32)
        for byte in withUnsafeBytes(of: Float(1.5).bitPattern.littleEndian, Array.init) { w.bytes.append(byte) }
        values.append(w.bytes)
        w = ProtobufWriter(); w.writeFixed64Field(3, (2.25).bitPattern); values.append(w.bytes)
        w = ProtobufWriter(); w.writeVarintField(4, UInt64(bitPattern: -7)); values.append(w.bytes)
        w = ProtobufWriter(); w.writeVarintField(5, 87948); values.append(w.bytes)
        w = ProtobufWriter(); w.writeVarintField(6, zigzagEncode64(-87948)); values.append(w.bytes)
        w = ProtobufWriter(); w.writeVarintField(7, 1); values.append(w.bytes)
        w = ProtobufWriter(); w.writeVarintField(5, UInt64.max); values.append(w.bytes)
        for value in values { layer.writeBytesField(4, value) }
        layer.writeVarintField(5, 512)
        var tile = ProtobufWriter()
        tile.writeBytesField(3, layer.bytes)

        let decoded = try VectorTileDecoder.decode(tile.bytes)
        let v = try #require(decoded.layer(named: "v"))
        #expect(v.extent == 512)
        let f = try #require(v.features.first)
        #expect(f.id == 42)
        #expect(f.properties == [
            "s": .string("Hà Nội"), "f": .double(1.5), "d": .double(2.25), "i": .int(-7),
            "u": .int(87948), "z": .int(-87948), "b": .bool(true), "big": .double(Double(UInt64.max)),
        ])
    }

    @Test func polygonsAreSplitByWinding() throws {
        // Exterior (positive area in tile coordinates), a hole, then a second exterior; a zero-area ring dropped.
        let outer = [Point(0, 0), Point(10, 0), Point(10, 10), Point(0, 10), Point(0, 0)]
        let hole = [Point(2, 2), Point(2, 8), Point(8, 8), Point(8, 2), Point(2, 2)]
        let second = [Point(20, 20), Point(30, 20), Point(30, 30), Point(20, 20)]
        let flat = [Point(40, 40), Point(50, 40), Point(60, 40), Point(40, 40)]
        let tile = VectorTile(layers: [VectorTileLayer(name: "p", features: [
            VectorTileFeature(id: 1, type: .polygon, geometry: .polygons([[outer, hole], [flat], [second]]))
        ])])
        let decoded = try VectorTileDecoder.decode(VectorTileWriter.encode(tile))
        #expect(decoded.layers[0].features[0].geometry == .polygons([[outer, hole], [second]]))
        #expect(VectorTileDecoderState.signedArea(outer) > 0)
    }

    @Test func holeBeforeAnyExteriorIsDropped() throws {
        let hole = [Point(2, 2), Point(2, 8), Point(8, 8), Point(8, 2), Point(2, 2)]
        let outer = [Point(0, 0), Point(10, 0), Point(10, 10), Point(0, 10), Point(0, 0)]
        let tile = VectorTile(layers: [VectorTileLayer(name: "p", features: [
            VectorTileFeature(type: .polygon, geometry: .polygons([[hole], [outer]]))
        ])])
        let decoded = try VectorTileDecoder.decode(VectorTileWriter.encode(tile))
        #expect(decoded.layers[0].features[0].geometry == .polygons([[outer]]))
    }

    @Test func versionOneLayersTakeTheFirstRingsWindingAndMayCloseLines() throws {
        let ccw = [Point(0, 0), Point(0, 10), Point(10, 10), Point(10, 0), Point(0, 0)]
        let hole = [Point(2, 2), Point(8, 2), Point(8, 8), Point(2, 8), Point(2, 2)]
        var commands: [UInt32] = []
        VectorTileWriter.appendCommands(.polygons([[ccw, hole]]), to: &commands)
        var polygon = ProtobufWriter()
        polygon.writeVarintField(3, 3)
        polygon.writePackedField(4, commands)
        var line = ProtobufWriter()
        line.writeVarintField(3, 2)
        line.writePackedField(4, [9, 4, 4, 18, 0, 16, 16, 0, 15])
        var layer = ProtobufWriter()
        layer.writeVarintField(15, 1)
        layer.writeStringField(1, "old")
        layer.writeBytesField(2, polygon.bytes)
        layer.writeBytesField(2, line.bytes)
        var tile = ProtobufWriter()
        tile.writeBytesField(3, layer.bytes)
        let decoded = try VectorTileDecoder.decode(tile.bytes)
        #expect(decoded.layers[0].features[0].geometry == .polygons([[ccw, hole]]))
        #expect(decoded.layers[0].features[1].geometry == .lines([[Point(2, 2), Point(2, 10), Point(10, 10), Point(2, 2)]]))

        // The same ClosePath in a version 2 layer is an error.
        layer = ProtobufWriter()
        layer.writeVarintField(15, 2)
        layer.writeStringField(1, "new")
        layer.writeBytesField(2, line.bytes)
        tile = ProtobufWriter()
        tile.writeBytesField(3, layer.bytes)
        #expect(throws: VectorTileError.self) { try VectorTileDecoder.decode(tile.bytes) }
    }

    @Test func roundTripsThroughTheWriterAndGzip() throws {
        let tile = VectorTile(layers: [
            VectorTileLayer(name: "roads", extent: 4096, features: [
                VectorTileFeature(id: 7, type: .lineString,
                                  geometry: .lines([[Point(0, 0), Point(100, 50), Point(-20, 4200)], [Point(5, 5), Point(6, 6)]]),
                                  properties: ["name": .string("Đường Láng"), "lanes": .int(4), "oneway": .bool(false)]),
                VectorTileFeature(id: 8, type: .point, geometry: .points([Point(1, 2), Point(3, 4)]),
                                  properties: ["name": .string("Đường Láng"), "ele": .double(12.5)]),
            ]),
            VectorTileLayer(name: "empty"),
        ])
        let bytes = VectorTileWriter.encode(tile)
        #expect(try VectorTileDecoder.decode(bytes) == tile)
        #expect(try VectorTileDecoder.decodeMaybeCompressed(Zlib.gzip(bytes)) == tile)
        #expect(try VectorTileDecoder.decodeMaybeCompressed(Zlib.zlib(bytes)) == tile)
        #expect(try VectorTileDecoder.decodeMaybeCompressed(bytes) == tile)
    }

    @Test func limitsAreEnforced() throws {
        let tile = VectorTile(layers: [VectorTileLayer(name: "a", features: [
            VectorTileFeature(type: .point, geometry: .points([Point(1, 1), Point(2, 2), Point(3, 3)])),
            VectorTileFeature(type: .point, geometry: .points([Point(1, 1)])),
        ]), VectorTileLayer(name: "b")])
        let bytes = VectorTileWriter.encode(tile)
        func code(_ limits: VectorTileDecoder.Limits) -> VectorTileError.Code? {
            do { _ = try VectorTileDecoder.decode(bytes, limits: limits); return nil } catch { return error.code }
        }
        #expect(code(.init(maxLayers: 1)) == .tooLarge)
        #expect(code(.init(maxFeatures: 1)) == .tooLarge)
        #expect(code(.init(maxPoints: 3)) == .tooLarge)
        #expect(code(.init(maxPoints: 4)) == nil)
        let bomb = try Zlib.gzip([UInt8](repeating: 0, count: 1 << 20))
        #expect(throws: VectorTileError(code: .tooLarge, message: "compressed tile: decompressed data exceeds 1000 bytes")) {
            try VectorTileDecoder.decodeMaybeCompressed(bomb, limits: .init(maxDecompressedBytes: 1000))
        }
    }
}
