import CairnConfiguration
import CairnCore
import CairnPostGIS
import CairnTestSupport
import Foundation
import Logging
import Testing

/// Table discovery and the per-metatile query against a real PostGIS: the catalog gives the geometry
/// column, SRID and column types; the query reads only the style's columns, and PostgreSQL answers
/// its box with the table's GiST index; names that could carry SQL are refused before any query.
@Suite(.interop, .serialized)
struct PostGISQueryTests {
    static func loaded() throws -> PostgresCluster {
        let cluster = try PostgresCluster()
        do {
            try cluster.createDatabase("city")
            let gpkg = TestTier.repositoryRoot.appendingPathComponent("data/hai_phong_demo.gpkg").path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/ogr2ogr")
            process.arguments = ["-f", "PostgreSQL", "PG:host=\(cluster.host) port=\(cluster.port) user=postgres dbname=city", gpkg, "syn_buildings",
                                 "-nln", "syn_buildings", "-lco", "LAUNDER=NO", "-lco", "GEOMETRY_NAME=geom", "-lco", "SPATIAL_INDEX=GIST"]
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw QueryTestError() }
            try cluster.createRole("cairn", password: "pw-query-tests", readOnlyOn: "city")
            try cluster.psql("ANALYZE syn_buildings", database: "city")
        } catch {
            cluster.shutdown()
            throw error
        }
        return cluster
    }

    static func database(_ cluster: PostgresCluster) -> PostGISDatabase {
        let configuration = DatabaseConfiguration(name: "city", host: cluster.host, port: cluster.port, user: "cairn", database: "city",
                                                  password: .environment("PW"), pool: 2, tls: .disable)
        return PostGISDatabase(configuration: configuration, logger: Logger(label: "test"), environment: ["PW": "pw-query-tests"])
    }

    @Test func theCatalogDescribesTheTableAndTheQueryUsesTheSpatialIndexAndOnlyTheStylesColumns() async throws {
        let cluster = try Self.loaded()
        defer { cluster.shutdown() }
        let database = Self.database(cluster)
        let (table, rows) = try await withThrowingTaskGroup(of: (PostGISTable, PostGISRows)?.self) { group in
            group.addTask { await database.run(); return nil }
            defer { group.cancelAll() }
            let table = try await database.table(PostGISTableName(table: "syn_buildings"), geometryColumn: nil, crs: nil)
            let query = PostGISFeatureQuery(table: table, attributes: ["cong_nang", "so_tang", "chieu_cao_m"])
            let extent = try cluster.psql("SELECT ST_X(p) - 250 || ' ' || ST_Y(p) - 250 FROM (SELECT ST_PointOnSurface(geom) AS p FROM syn_buildings LIMIT 1) s", database: "city")
                .split(separator: " ").compactMap { Double($0) }
            // The demo buildings are in VN-2000 (metres): a 500 m box around one.
            let box = BoundingBox(minX: extent[0], minY: extent[1], maxX: extent[0] + 500, maxY: extent[1] + 500)
            let rows = try await database.rows(query.query(box: box, limit: 100_000, tolerance: 0))
            return (table, PostGISRows(table: table, attributes: query.attributes, rows: rows))
        }!
        #expect(table.geometryColumn == "geom")
        // GDAL registers VN-2000 under an SRID of its own (PostGIS's spatial_ref_sys may lack 9210) with
        // authority EPSG 9210: the CRS is the EPSG code, as for the GeoPackage.
        #expect(table.srid > 0)
        #expect(table.crs == .epsg(9210))
        #expect(table.columnTypes["so_tang"] == "int4")
        #expect(table.columnTypes["chieu_cao_m"] == "float8")

        // Decoded by type: integers as integers, reals as doubles, text as text.
        let features = try rows.features()
        #expect(!features.isEmpty)
        let first = try #require(features.first)
        #expect(Set(first.properties.keys) == ["cong_nang", "so_tang", "chieu_cao_m"])
        if case .int = first.properties["so_tang"] {} else { Issue.record("so_tang: \(String(describing: first.properties["so_tang"]))") }
        if case .double = first.properties["chieu_cao_m"] {} else { Issue.record("chieu_cao_m: \(String(describing: first.properties["chieu_cao_m"]))") }

        // The statement names only the style's columns, and its box is answered from the GiST index.
        let query = PostGISFeatureQuery(table: table, attributes: ["cong_nang"])
        let sql = query.sql(simplifying: true)
        #expect(sql.hasPrefix(#"SELECT ST_AsBinary(ST_Simplify("geom", $7::float8, true)), "cong_nang" FROM "public"."syn_buildings" WHERE "geom" && ST_MakeEnvelope("#))
        let corner = try cluster.psql("SELECT ST_XMin(e)::int || ' ' || ST_YMin(e)::int FROM (SELECT ST_Extent(geom) AS e FROM syn_buildings) s", database: "city")
            .split(separator: " ").compactMap { Int($0) }
        let plan = try cluster.psql("""
            PREPARE q AS \(sql);
            EXPLAIN EXECUTE q(\(corner[0]), \(corner[1]), \(corner[0] + 300), \(corner[1] + 300), \(table.srid), 1000, 0.5);
            """, database: "city")
        #expect(plan.contains("Index Scan") && plan.contains("syn_buildings_geom_geom_idx"), "\(plan)")
    }

    @Test func namesThatCouldCarrySQLAreRefused() throws {
        for evil in [#"parcels"; DROP TABLE x; --"#, "a b", "public.x.y", "x;y", "", "x--y", String(repeating: "a", count: 64)] {
            #expect(throws: PostGISError.self) { try PostGISName.table(evil) }
        }
        #expect(try PostGISName.table("quy_hoach.thửa_đất") == PostGISTableName(schema: "quy_hoach", table: "thửa_đất"))
        #expect(try PostGISName.table("syn_buildings").quoted == #""public"."syn_buildings""#)
    }

    @Test func aMissingTableIsNamedWithTheDatabase() async throws {
        let cluster = try Self.loaded()
        defer { cluster.shutdown() }
        let database = Self.database(cluster)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await database.run() }
            defer { group.cancelAll() }
            do {
                _ = try await database.table(PostGISTableName(table: "parcels"), geometryColumn: nil, crs: nil)
                Issue.record("no error")
            } catch let error as PostGISError {
                #expect(error.code == .noSuchTable)
                #expect(error.message.contains("table public.parcels does not exist in database city (postgresql://cairn@127.0.0.1:\(cluster.port)/city)"), "\(error.message)")
            } catch {
                Issue.record("\(error)")
            }
        }
    }
}

struct QueryTestError: Error, CustomStringConvertible {
    var description: String { "ogr2ogr could not load the demo buildings" }
}
