import CairnCore
import CairnSQLite
import Foundation
import Testing
@testable import CairnSources

/// Builds small GeoPackages with awkward content: quoted identifiers, a custom CRS,
/// no R-tree, NULL and corrupt geometries, files that are no GeoPackage.
struct GeoPackageMalformedTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-gpkg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// A GeoPackage with one table `odd "table"` (srs 100000, a WKT-only CRS) holding `rows` (fid, blob).
    func makeGeoPackage(rows: [(Int64, [UInt8]?)]) throws -> String {
        let path = directory.appendingPathComponent("test.gpkg").path
        let db = try SQLiteConnection(path: path, flags: .readWriteCreate)
        try db.execute(#"""
            CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
              organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
            INSERT INTO gpkg_spatial_ref_sys VALUES ('custom', 100000, 'NONE', 100000, 'LOCAL_CS["local"]', NULL);
            CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT,
              description TEXT DEFAULT '', last_change DATETIME, min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER);
            INSERT INTO gpkg_contents (table_name, data_type, srs_id) VALUES ('odd "table"', 'features', 100000);
            INSERT INTO gpkg_contents (table_name, data_type) VALUES ('plain_attributes', 'attributes');
            CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
              srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL);
            INSERT INTO gpkg_geometry_columns VALUES ('odd "table"', 'the geom', 'POLYGON', 100000, 0, 0);
            CREATE TABLE "odd ""table""" (id INTEGER PRIMARY KEY, "the geom" POLYGON, "na""me" TEXT, flag BOOLEAN, picture BLOB);
            CREATE TABLE plain_attributes (id INTEGER PRIMARY KEY, x TEXT);
            """#)
        let insert = try db.prepare(#"INSERT INTO "odd ""table""" VALUES (?, ?, ?, ?, ?)"#)
        for (fid, blob) in rows {
            insert.reset()
            try insert.bind(fid, at: 1)
            if let blob { try insert.bind(blob, at: 2) } else { try insert.bindNull(at: 2) }
            try insert.bind("feature \(fid)", at: 3)
            try insert.bind(Int64(fid % 2), at: 4)
            try insert.bind([1, 2, 3], at: 5)
            try insert.step()
        }
        return path
    }

    func square(at x: Double, envelope: Bool = true) -> [UInt8] {
        let ring = [(x, 0.0), (x + 1, 0.0), (x + 1, 1.0), (x, 1.0), (x, 0.0)]
        let header = envelope
            ? GeoPackageTestBytes.gpkgHeader(envelopeType: 1, srsID: 100000, envelope: [x, x + 1, 0, 1])
            : GeoPackageTestBytes.gpkgHeader(envelopeType: 0, srsID: 100000, envelope: [])
        return header + GeoPackageTestBytes.polygon([ring])
    }

    @Test func readsQuotedIdentifiersCustomCRSAndNullGeometry() throws {
        let path = try makeGeoPackage(rows: [(1, square(at: 0)), (2, square(at: 10, envelope: false)), (3, nil)])
        let reader = try GeoPackageReader(path: path)
        #expect(try reader.layerNames() == [#"odd "table""#])
        let layer = try reader.layer(named: nil)
        #expect(layer.spatialIndexTable == nil)
        #expect(layer.primaryKey == "id")
        let data = try reader.read(LayerQuery())
        #expect(data.crs == .text(#"LOCAL_CS["local"]"#))
        #expect(data.features.map(\.id) == [1, 2, 3])
        #expect(data.features[0].properties == [#"na"me"#: .string("feature 1"), "flag": .bool(true)])
        #expect(data.features[2].geometry == .polygons([]))
    }

    @Test func bboxWithoutRTreeFiltersByEnvelopeOrGeometry() throws {
        let path = try makeGeoPackage(rows: [(1, square(at: 0)), (2, square(at: 10, envelope: false)), (3, nil), (4, square(at: 20))])
        let reader = try GeoPackageReader(path: path)
        let hit = try reader.read(LayerQuery(bbox: BoundingBox(minX: 9, minY: -1, maxX: 10.5, maxY: 0.5)))
        #expect(hit.features.map(\.id) == [2])
        let both = try reader.read(LayerQuery(bbox: BoundingBox(minX: 0.5, minY: 0, maxX: 20, maxY: 1)))
        #expect(both.features.map(\.id) == [1, 2, 4])
    }

    @Test(arguments: [
        [UInt8](),
        [0x47, 0x50, 0, 0x03],
        Array("not a geometry at all".utf8),
    ])
    func corruptBlobNamesTableAndFeature(blob: [UInt8]) throws {
        let path = try makeGeoPackage(rows: [(1, square(at: 0)), (42, blob)])
        let reader = try GeoPackageReader(path: path)
        let error = try #require(throws: SourceError.self) { try reader.read(LayerQuery()) }
        #expect(error.code == .malformed)
        #expect(error.message.contains(#"odd "table""#))
        #expect(error.message.contains("feature 42"))
        #expect(error.path == path)
    }

    @Test func truncatedWKBIsAnErrorAtEveryLength() throws {
        let full = square(at: 0)
        for length in [9, 40, 45, 50, full.count - 1] {
            let path = try makeGeoPackage(rows: [(7, Array(full.prefix(length)))])
            let reader = try GeoPackageReader(path: path)
            #expect(throws: SourceError.self) { try reader.read(LayerQuery()) }
            try FileManager.default.removeItem(atPath: path)
        }
    }

    @Test func missingFileIsNotFound() throws {
        let error = try #require(throws: SourceError.self) {
            try GeoPackageReader(path: directory.appendingPathComponent("absent.gpkg").path)
        }
        #expect(error.code == .notFound)
    }

    @Test func plainSQLiteFileIsUnsupported() throws {
        let path = directory.appendingPathComponent("plain.sqlite").path
        try SQLiteConnection(path: path, flags: .readWriteCreate).execute("CREATE TABLE t (a)")
        let error = try #require(throws: SourceError.self) { try GeoPackageReader(path: path) }
        #expect(error.code == .unsupportedFormat)
    }

    @Test func textFileIsUnsupported() throws {
        let path = directory.appendingPathComponent("text.gpkg").path
        try Data(String(repeating: "hello world\n", count: 100).utf8).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: SourceError.self) { try GeoPackageReader(path: path) }
        #expect(error.code == .unsupportedFormat)
    }
}
