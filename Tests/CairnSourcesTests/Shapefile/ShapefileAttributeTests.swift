import CairnCore
import CairnSources
import Foundation
import Testing

@Suite struct ShapefileAttributeTests {
    let features: [Feature]

    init() throws {
        features = try ShapefileReader(path: ShapefileFixtures.path("points.shp")).read(LayerQuery()).features
    }

    @Test func fieldTypes() {
        let first = features[0].properties
        #expect(first["NAME"] == .string("Hải Phòng"))
        #expect(first["COUNT"] == .int(2029))
        #expect(first["RATIO"] == .double(0.125))
        #expect(first["HEIGHT"] == .double(12.5))
        #expect(first["OK"] == .bool(true))
        #expect(first["DAY"] == .string("2025-07-01"))
        #expect(first["CODE"] == .int(7))
        let second = features[1].properties
        #expect(second["NAME"] == .string("Thủy Nguyên"))
        #expect(second["COUNT"] == .int(-3))
        #expect(second["RATIO"] == .double(1))
        #expect(second["HEIGHT"] == .null)
        #expect(second["OK"] == .bool(false))
        #expect(second["DAY"] == .null)
        #expect(second["CODE"] == .int(-9))
    }

    @Test func blankValuesAreNull() {
        let blank = features[2].properties
        #expect(features[2].id == 3)
        for name in ["NAME", "COUNT", "RATIO", "HEIGHT", "OK", "DAY"] {
            #expect(blank[name] == .null, "\(name)")
        }
        #expect(blank.count == 7)
    }

    @Test func deletedRecordIsSkipped() {
        #expect(!features.contains { $0.properties["NAME"] == .string("deleted row") })
    }

    @Test func prjBecomesWKTText() throws {
        let data = try ShapefileReader(path: ShapefileFixtures.path("points.shp")).read(LayerQuery())
        guard case .text(let wkt) = data.crs else { Issue.record("expected WKT, got \(String(describing: data.crs))"); return }
        #expect(wkt.hasPrefix("GEOGCS[\"GCS_WGS_1984\""))
    }

    @Test func latin1WithoutCPG() throws {
        let data = try ShapefileReader(path: ShapefileFixtures.path("latin1.shp")).read(LayerQuery())
        #expect(data.features.map { $0.properties["NAME"] } == [.string("Café Ñandú"), .string("Größe"), .string("Ã©")])
    }

    @Test func unknownLanguageDriverPrefersValidUTF8() throws {
        // The same file with language driver 0 (unspecified): bytes C3 A9 now read as UTF-8 "é",
        // while the invalid-UTF-8 Latin-1 values still fall back to windows-1252.
        let directory = try ShapefileFixtures.temporaryCopy(["latin1.shp", "latin1.shx", "latin1.dbf"])
        let dbf = directory.appendingPathComponent("latin1.dbf")
        var bytes = [UInt8](try Data(contentsOf: dbf))
        bytes[29] = 0
        try Data(bytes).write(to: dbf)
        let data = try ShapefileReader(path: directory.appendingPathComponent("latin1.shp").path).read(LayerQuery())
        #expect(data.features.map { $0.properties["NAME"] } == [.string("Café Ñandú"), .string("Größe"), .string("é")])
    }

    @Test func attributeFilter() throws {
        let data = try ShapefileReader(path: ShapefileFixtures.path("points.shp")).read(LayerQuery(attributes: ["NAME", "DAY"]))
        #expect(data.features[0].properties == ["NAME": .string("Hải Phòng"), "DAY": .string("2025-07-01")])
    }
}
