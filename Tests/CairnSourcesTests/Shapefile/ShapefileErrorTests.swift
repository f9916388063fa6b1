import CairnCore
import CairnSources
import Foundation
import Testing

@Suite struct ShapefileErrorTests {
    @Test func truncatedShpThrows() throws {
        let path = ShapefileFixtures.path("truncated.shp")
        let error = try #require(throws: SourceError.self) { try ShapefileReader(path: path).read(LayerQuery()) }
        #expect(error.code == .malformed)
        #expect(error.path == path)
        #expect(error.message.contains("truncated"), "\(error.message)")
    }

    @Test func truncatedShpWithConsistentHeaderThrows() throws {
        // Patch the header's file length to the cut size so the record walk meets the short record.
        let directory = try ShapefileFixtures.temporaryCopy(["truncated.shp"])
        let url = directory.appendingPathComponent("truncated.shp")
        var bytes = [UInt8](try Data(contentsOf: url))
        let words = UInt32(bytes.count / 2)
        bytes.replaceSubrange(24..<28, with: [UInt8(words >> 24), UInt8((words >> 16) & 0xFF), UInt8((words >> 8) & 0xFF), UInt8(words & 0xFF)])
        try Data(bytes).write(to: url)
        let error = try #require(throws: SourceError.self) { try ShapefileReader(path: url.path).read(LayerQuery()) }
        #expect(error.message.hasPrefix("record 2"), "\(error.message)")
    }

    @Test func hugePointCountThrowsWithoutAllocating() throws {
        let error = try #require(throws: SourceError.self) {
            try ShapefileReader(path: ShapefileFixtures.path("huge_count.shp")).read(LayerQuery())
        }
        #expect(error.code == .malformed)
        #expect(error.message.hasPrefix("record 1:"), "\(error.message)")
    }

    @Test func everyPrefixOfAValidFileFailsCleanly() throws {
        // Cut the .shp (no .shx) and the .dbf at every length: each read must succeed or throw, never trap.
        let directory = try ShapefileFixtures.temporaryCopy(["polygons.shp", "polygons.dbf"])
        let shp = try Data(contentsOf: directory.appendingPathComponent("polygons.shp"))
        let dbf = try Data(contentsOf: directory.appendingPathComponent("polygons.dbf"))
        for cut in stride(from: 0, to: shp.count, by: 3) {
            try shp.prefix(cut).write(to: directory.appendingPathComponent("polygons.shp"))
            #expect(throws: SourceError.self) { try ShapefileReader(path: directory.appendingPathComponent("polygons.shp").path).read(LayerQuery()) }
        }
        try shp.write(to: directory.appendingPathComponent("polygons.shp"))
        for cut in 0..<dbf.count - 1 {
            try dbf.prefix(cut).write(to: directory.appendingPathComponent("polygons.dbf"))
            #expect(throws: SourceError.self) { try ShapefileReader(path: directory.appendingPathComponent("polygons.shp").path).read(LayerQuery()) }
        }
    }

    @Test func corruptBytesNeverTrap() throws {
        // Overwrite each byte of the .shp, .shx and .dbf in turn with 0xFF and 0x80: every read
        // must either succeed or throw SourceError.
        let names = ["polygons.shp", "polygons.shx", "polygons.dbf"]
        let directory = try ShapefileFixtures.temporaryCopy(names)
        let shpPath = directory.appendingPathComponent("polygons.shp").path
        for name in names {
            let url = directory.appendingPathComponent(name)
            let original = [UInt8](try Data(contentsOf: url))
            for index in original.indices {
                for value: UInt8 in [0xFF, 0x80] {
                    var bytes = original
                    bytes[index] = value
                    try Data(bytes).write(to: url)
                    do {
                        _ = try ShapefileReader(path: shpPath).read(LayerQuery())
                    } catch is SourceError {
                    }
                }
            }
            try Data(original).write(to: url)
        }
    }

    @Test func notAShapefile() throws {
        let error = try #require(throws: SourceError.self) {
            try ShapefileReader(path: ShapefileFixtures.path("make_fixtures.py")).read(LayerQuery())
        }
        #expect(error.code == .unsupportedFormat)
    }

    @Test func missingFileAndUnknownLayer() throws {
        #expect(throws: SourceError.self) { try ShapefileReader(path: "/nonexistent/roads.shp") }
        let reader = try ShapefileReader(path: ShapefileFixtures.path("lines.shp"))
        #expect(try reader.layerNames() == ["lines"])
        let error = try #require(throws: SourceError.self) { try reader.read(LayerQuery(layer: "roads")) }
        #expect(error.code == .unknownLayer)
    }
}
