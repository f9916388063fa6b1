import CairnCore
@testable import CairnVectorTile
import Foundation
import Testing

/// Broken input must fail with VectorTileError quickly, without traps or large allocations.
struct MalformedTileTests {
    static func sampleTile() -> [UInt8] {
        VectorTileWriter.encode(VectorTile(layers: [
            VectorTileLayer(name: "mixed", features: [
                VectorTileFeature(id: 3, type: .polygon,
                                  geometry: .polygons([[[Point(0, 0), Point(64, 0), Point(64, 64), Point(0, 64), Point(0, 0)],
                                                        [Point(8, 8), Point(8, 16), Point(16, 16), Point(8, 8)]]]),
                                  properties: ["name": .string("Hồ Gươm"), "area": .double(12.5), "rank": .int(-3)]),
                VectorTileFeature(type: .lineString, geometry: .lines([[Point(1, 1), Point(300, 200), Point(310, 4000)]]),
                                  properties: ["oneway": .bool(true)]),
                VectorTileFeature(id: 9, type: .point, geometry: .points([Point(5, 5)])),
            ])
        ]))
    }

    static func layer(_ feature: ProtobufWriter) -> [UInt8] {
        var layer = ProtobufWriter()
        layer.writeVarintField(15, 2)
        layer.writeStringField(1, "l")
        layer.writeBytesField(2, feature.bytes)
        var tile = ProtobufWriter()
        tile.writeBytesField(3, layer.bytes)
        return tile.bytes
    }

    static func code(_ bytes: [UInt8]) -> VectorTileError.Code? {
        do {
            _ = try VectorTileDecoder.decode(bytes)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func truncatingAtEveryByteNeverTraps() throws {
        let bytes = Self.sampleTile()
        let full = try VectorTileDecoder.decode(bytes)
        #expect(full.layers[0].features.count == 3)
        for length in 0..<bytes.count {
            // A cut can land on a message boundary and still be valid protobuf, so only "no trap,
            // and never the full tile" is asserted.
            let truncated = Array(bytes[0..<length])
            if let tile = try? VectorTileDecoder.decode(truncated) {
                #expect(tile != full)
            }
        }
        // Every cut inside the one top-level layer message leaves a length running past the end.
        for length in 2..<bytes.count {
            #expect(Self.code(Array(bytes[0..<length])) == .malformed)
        }
    }

    @Test func elevenByteVarintIsMalformed() {
        let bytes: [UInt8] = [0x08] + [UInt8](repeating: 0xff, count: 10) + [0x01]
        #expect(Self.code(bytes) == .malformed)
        // Ten bytes is the longest legal varint (field 1 of the tile is unknown and skipped).
        #expect(Self.code([0x08] + [UInt8](repeating: 0xff, count: 9) + [0x01]) == nil)
    }

    @Test func hugeDeclaredLengthsFailWithoutAllocating() {
        // Layer name declared 2^31 bytes long.
        var layer = ProtobufWriter()
        layer.writeKey(1, .lengthDelimited)
        layer.writeVarint(1 << 31)
        layer.bytes += Array("abc".utf8)
        var tile = ProtobufWriter()
        tile.writeBytesField(3, layer.bytes)
        #expect(Self.code(tile.bytes) == .malformed)
        // The layer itself declared 2^60 bytes long.
        var outer = ProtobufWriter()
        outer.writeKey(3, .lengthDelimited)
        outer.writeVarint(1 << 60)
        #expect(Self.code(outer.bytes) == .malformed)
        // UInt64.max as a length.
        #expect(Self.code([0x1a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]) == .malformed)
    }

    @Test func commandCountsBeyondTheParametersAreInvalid() {
        var feature = ProtobufWriter()
        feature.writeVarintField(3, 1)
        // MoveTo with count 2^29 - 1 (the largest a uint32 command holds) and one pair.
        feature.writePackedField(4, [UInt32.max & ~7 | 1, 2, 2])
        #expect(Self.code(Self.layer(feature)) == .invalidGeometry)

        // A geometry varint of 2^60 (truncated to 32 bits, like protobuf) as a LineTo count.
        var line = ProtobufWriter()
        line.writeVarintField(3, 2)
        var packed = ProtobufWriter()
        for v: UInt64 in [9, 0, 0] { packed.writeVarint(v) }
        packed.writeVarint(1 << 60 | 2)
        packed.writeVarint(2); packed.writeVarint(2)
        line.writeBytesField(4, packed.bytes)
        #expect(Self.code(Self.layer(line)) == .invalidGeometry)

        // Wrong counts: LineTo count 3 with two pairs; ClosePath count 2; MoveTo count 0.
        for commands: [UInt32] in [[9, 0, 0, 26, 2, 2, 4, 4], [9, 0, 0, 18, 8, 0, 0, 8, 23], [1], [9, 0, 0, 7, 18, 2, 2]] {
            var f = ProtobufWriter()
            f.writeVarintField(3, commands.count == 9 ? 3 : 2)
            f.writePackedField(4, commands)
            #expect(Self.code(Self.layer(f)) == .invalidGeometry, "\(commands)")
        }
    }

    @Test func brokenWireFormatIsMalformed() {
        #expect(Self.code([0x1a]) == .malformed)              // key without its length
        #expect(Self.code([0x00]) == .malformed)              // field number 0
        #expect(Self.code([0x1e]) == .malformed)              // wire type 6
        #expect(Self.code([0x18, 0x01]) == .malformed)        // layers as a varint
        #expect(Self.code([0x0c]) == .malformed)              // end-group without a start
        #expect(Self.code([0x0b, 0x10, 0x01, 0x0c]) == nil)   // an unknown group is skipped
        #expect(Self.code([0x0d, 1, 2, 3]) == .malformed)     // fixed32 cut short
        #expect(Self.code([0x09, 1, 2, 3, 4, 5, 6, 7, 8]) == nil) // an unknown fixed64 is skipped
    }

    @Test func tileRuleViolationsAreInvalid() {
        // Tag pointing past the values.
        var feature = ProtobufWriter()
        feature.writePackedField(2, [0, 5])
        feature.writeVarintField(3, 1)
        feature.writePackedField(4, [9, 2, 2])
        var layer = ProtobufWriter()
        layer.writeVarintField(15, 2)
        layer.writeStringField(1, "l")
        layer.writeBytesField(2, feature.bytes)
        layer.writeStringField(3, "k")
        var tile = ProtobufWriter()
        tile.writeBytesField(3, layer.bytes)
        #expect(Self.code(tile.bytes) == .invalidTile)

        // Missing name, version 3, extent 0.
        for (field, value) in [(1, 0), (15, 3), (5, 0)] {
            var l = ProtobufWriter()
            if field != 15 { l.writeVarintField(15, 2) } else { l.writeVarintField(15, UInt64(value)) }
            if field != 1 { l.writeStringField(1, "n") }
            if field == 5 { l.writeVarintField(5, UInt64(value)) }
            var t = ProtobufWriter()
            t.writeBytesField(3, l.bytes)
            #expect(Self.code(t.bytes) == .invalidTile)
        }
    }

    /// Inputs the fuzzer once found troublesome (Fuzz/VectorTileDecoder/FailCases) must decode or
    /// throw VectorTileError, and a successful decode must survive a re-encode unchanged.
    @Test func fuzzFailCasesReplay() throws {
        let directory = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/VectorTileDecoder/FailCases")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where !name.hasPrefix(".") {
            let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
            guard let tile = try? VectorTileDecoder.decode(bytes) else { continue }
            let again = VectorTileWriter.encode(tile)
            let redecoded = try VectorTileDecoder.decode(again)
            #expect(VectorTileWriter.encode(redecoded) == again, "\(name)")
        }
    }
}
