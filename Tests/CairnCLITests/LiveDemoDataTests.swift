import CairnTestSupport
import Foundation
import Testing

/// `scripts/postgis-load-demo`, as `scripts/demo-live` runs it, against a real PostgreSQL + PostGIS: every
/// layer arrives in the CRS it has in `data/` (VN-2000 stays EPSG:9210), indexed, with the live tables.
@Suite(.interop, .serialized)
struct LiveDemoDataTests {
    static let loader = CairnProcess.repositoryRoot.appendingPathComponent("scripts/postgis-load-demo").path

    @Test func loadsTheHaiPhongLayersInTheirOwnCRSWithIndexesAndTheLiveTables() throws {
        let cluster = try PostgresCluster()
        defer { cluster.shutdown() }
        try cluster.createDatabase("city")
        let run = try CairnProcess.run(Self.loader, ["--port", "\(cluster.port)", "--database", "city"])
        #expect(run.status == 0, "scripts/postgis-load-demo failed:\n\(run.output)")

        let tables = try cluster.psql("SELECT f_table_name || ' ' || srid FROM geometry_columns WHERE f_table_schema = 'public' ORDER BY 1", database: "city")
            .split(separator: "\n").map(String.init)
        #expect(tables == [
            "env_stations 4326", "hp_coastline 4326", "hp_districts 4326", "hp_land 4326", "hp_places_geonames 4326", "hp_rivers 4326",
            "hp_sea 4326", "planning_zones 4326", "syn_buildings 9210", "syn_land_use_vn2000_tm3 9210", "syn_pois 4326", "syn_roads 4326",
            "syn_wards 4326",
        ])
        // The EPSG:9210 row carries the datum shift: without it VN-2000 lands about 224 m off.
        let proj4 = try cluster.psql("SELECT proj4text FROM spatial_ref_sys WHERE srid = 9210", database: "city")
        #expect(proj4.contains("+towgs84=-191.9"))
        // Same parcels as the shapefile, with its column names.
        #expect(try cluster.psql("SELECT count(*) FROM syn_land_use_vn2000_tm3 WHERE \"MaLoaiDat\" IS NOT NULL", database: "city") == "812")
        #expect(try cluster.psql("SELECT count(*) FROM syn_buildings", database: "city") == "14594")

        let withoutGiST = try cluster.psql("""
            SELECT g.f_table_name FROM geometry_columns AS g
            WHERE g.f_table_schema = 'public' AND NOT EXISTS (
                SELECT FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid JOIN pg_am AS a ON a.oid = c.relam
                WHERE i.indrelid = format('%I.%I', g.f_table_schema, g.f_table_name)::regclass AND a.amname = 'gist')
            """, database: "city")
        #expect(withoutGiST.isEmpty, "tables without a GiST index: \(withoutGiST)")
        let analyzed = try cluster.psql("SELECT count(*) FROM pg_stat_user_tables WHERE last_analyze IS NULL AND relname <> 'spatial_ref_sys'", database: "city")
        #expect(analyzed == "0")

        // The live tables: valid geometries inside the city, readings, the station the README edits.
        let stations = try cluster.psql("SELECT count(*), bool_and(ST_IsValid(geom)), min(pm25) >= 0 FROM env_stations", database: "city")
        #expect(stations == "56|t|t")
        let zones = try cluster.psql("SELECT count(*) > 20, bool_and(ST_IsValid(geom) AND NOT ST_IsEmpty(geom)), count(DISTINCT zone_type) FROM planning_zones", database: "city")
        #expect(zones == "t|t|5")
        #expect(try cluster.psql("SELECT ten || ' ' || pm25 FROM env_stations WHERE ma_tram = 'QT-11323'", database: "city") == "Trạm Phan Bội Châu 9")
        #expect(try cluster.psql("SELECT status FROM planning_zones WHERE ma_khu = 'QH-11404'", database: "city") == "proposed")

        // styles/hai-phong-live.json finds every table it names, with the columns it reads.
        let folder = try CairnProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let style = CairnProcess.repositoryRoot.appendingPathComponent("styles/hai-phong-live.json").path
        try """
            cache:
              directory: cache
            databases:
              city:
                url: \(cluster.url(database: "city"))
                tls: disable
            maps:
              - name: hai-phong-live
                style: \(style)
                refresh_zooms: 10-16
            """.write(toFile: folder + "/live.yaml", atomically: true, encoding: .utf8)
        let validation = try CairnProcess.cairn(["validate", "--config", folder + "/live.yaml"])
        #expect(validation.status == 0, "cairn validate of the live demo's configuration:\n\(validation.output)")

        // Loading again resets the demo instead of failing or duplicating.
        try cluster.psql("UPDATE env_stations SET pm25 = 180 WHERE ma_tram = 'QT-11323'", database: "city")
        let again = try CairnProcess.run(Self.loader, ["--port", "\(cluster.port)", "--database", "city"])
        #expect(again.status == 0, "a second load failed:\n\(again.output)")
        #expect(try cluster.psql("SELECT pm25 FROM env_stations WHERE ma_tram = 'QT-11323'", database: "city") == "9")
        #expect(try cluster.psql("SELECT count(*) FROM syn_pois", database: "city") == "2350")
    }
}
