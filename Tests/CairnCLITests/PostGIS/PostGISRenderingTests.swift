import CairnPNG
import CairnRender
import CairnTestSupport
import CairnVectorTile
import CairnZlib
import Foundation
import Testing

/// Maps drawn from PostGIS match the same style drawn from the GeoPackage and the VN-2000 shapefile,
/// in `cairn serve`: PNG pixels, vector tile features, and a seed of a small area.
@Suite(.interop, .serialized)
struct PostGISRenderingTests {
    /// The XYZ tile holding a point (degrees).
    static func tile(longitude: Double, latitude: Double, z: Int) -> (x: Int, y: Int) {
        let n = Double(1 << z)
        let x = Int(((longitude + 180) / 360 * n).rounded(.down))
        let radians = latitude * .pi / 180
        let y = Int(((1 - log(tan(radians) + 1 / cos(radians)) / .pi) / 2 * n).rounded(.down))
        return (x, y)
    }

    /// A point of `table`'s data (WGS84), as "lon lat".
    static func pointOn(_ table: String, in demo: PostGISDemo, where condition: String = "true") throws -> (Double, Double) {
        let text = try demo.cluster.psql("SELECT ST_X(p) || ' ' || ST_Y(p) FROM (SELECT ST_Transform(ST_PointOnSurface(geom), 4326) AS p FROM \"\(table)\" WHERE \(condition) ORDER BY fid LIMIT 1) s", database: "city")
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").compactMap { Double($0) }
        guard parts.count == 2 else { throw PostGISTestError("no point on \(table): \(text)") }
        return (parts[0], parts[1])
    }

    static func configuration(_ demo: PostGISDemo, files: String, postgis: String, metatile: Int = 2) -> String {
        demo.databasesYAML() + """
            maps:
              - name: files
                style: \(files)
                metatile: \(metatile)
              - name: pg
                style: \(postgis)
                metatile: \(metatile)

            """
    }

    @Test func aPostGISMapDrawsTheSamePixelsAsTheFilesIncludingVN2000() async throws {
        let demo = try PostGISDemo.start()
        defer { demo.shutdown() }
        // The VN-2000 land use stays in EPSG:9210 in the database, as in the shapefile (GDAL registers it
        // under an SRID of its own with authority EPSG 9210).
        let srid = try demo.cluster.psql("SELECT s.auth_name || ':' || s.auth_srid FROM geometry_columns g JOIN spatial_ref_sys s USING (srid) WHERE f_table_name = '\(PostGISDemo.landUse)'", database: "city")
        #expect(srid == "EPSG:9210")
        let files = try demo.style(named: "files", postgisSources: [])
        // Mixed: the districts GeoJSON stays a file in the PostGIS map.
        let postgis = try demo.style(named: "pg", postgisSources: ["hp", "landuse"])
        let server = try await PostGISServer.start(folder: demo.folder, configuration: Self.configuration(demo, files: files, postgis: postgis))
        defer { server.stop() }

        let landUse = try Self.pointOn(PostGISDemo.landUse, in: demo)
        let building = try Self.pointOn("syn_buildings", in: demo)
        var tiles: [(z: Int, x: Int, y: Int, maxFraction: Double, channelThreshold: Int)] = []
        for z in [13, 15] {
            let t = Self.tile(longitude: landUse.0, latitude: landUse.1, z: z)
            tiles.append((z, t.x, t.y, 0.002, 2))
        }
        let b = Self.tile(longitude: building.0, latitude: building.1, z: 16)
        tiles.append((16, b.x, b.y, 0.002, 2))
        // Simplified in the database below style zoom 12: within half a pixel, edges' antialiasing
        // shifts (faintly, on many pixels), nothing moves visibly.
        let low = Self.tile(longitude: building.0, latitude: building.1, z: 10)
        tiles.append((10, low.x, low.y, 0.01, 64))

        for tile in tiles {
            let path = "/maps/%@/\(tile.z)/\(tile.x)/\(tile.y).png"
            let fromFiles = try server.get(String(format: path, "files"))
            let fromDatabase = try server.get(String(format: path, "pg"))
            #expect(fromFiles.status == 200, "\(path) files: \(fromFiles.text.prefix(300))")
            #expect(fromDatabase.status == 200, "\(path) pg: \(fromDatabase.text.prefix(300)) \(server.log.suffix(2000))")
            guard fromFiles.status == 200, fromDatabase.status == 200 else { continue }
            try fromDatabase.body.write(to: URL(fileURLWithPath: demo.folder + "/pg-\(tile.z)-\(tile.x)-\(tile.y).png"))
            try fromFiles.body.write(to: URL(fileURLWithPath: demo.folder + "/files-\(tile.z)-\(tile.x)-\(tile.y).png"))
            let comparison = try ImageComparison.compare(expected: [UInt8](fromFiles.body), actual: [UInt8](fromDatabase.body),
                                                         channelThreshold: tile.channelThreshold)
            let differing = comparison.differingPixels, total = comparison.totalPixels, delta = comparison.maxChannelDelta
            #expect(comparison.isSimilar(maxFraction: tile.maxFraction),
                    "z\(tile.z) \(tile.x)/\(tile.y): \(differing) of \(total) pixels differ (max Δ \(delta)); PNGs in \(demo.folder)")
            // Not a blank tile: something was drawn.
            #expect(fromDatabase.body.count > 1000)
        }

        // Vector tiles: the same layers with the same features.
        for tile in tiles where tile.z >= 13 {
            let path = "/maps/%@/\(tile.z)/\(tile.x)/\(tile.y).pbf"
            let fromFiles = try server.get(String(format: path, "files"))
            let fromDatabase = try server.get(String(format: path, "pg"))
            #expect(fromFiles.status == 200 && fromDatabase.status == 200, "\(path): \(fromDatabase.text.prefix(300))")
            guard fromFiles.status == 200, fromDatabase.status == 200 else { continue }
            let expected = try VectorTileDecoder.decodeMaybeCompressed([UInt8](fromFiles.body))
            let actual = try VectorTileDecoder.decodeMaybeCompressed([UInt8](fromDatabase.body))
            #expect(!expected.layers.isEmpty)
            #expect(expected.layers.map(\.name).sorted() == actual.layers.map(\.name).sorted())
            for layer in expected.layers {
                let other = actual.layer(named: layer.name)
                #expect(other?.features.count == layer.features.count, "\(path) layer \(layer.name)")
                func text(_ feature: VectorTileFeature) -> String {
                    feature.properties.keys.sorted().map { "\($0)=\(feature.properties[$0]!)" }.joined(separator: ",")
                }
                let properties = layer.features.map(text).sorted()
                let otherProperties = (other?.features ?? []).map(text).sorted()
                #expect(properties == otherProperties, "\(path) layer \(layer.name): attributes differ")
            }
        }
    }

    @Test func aSeedOfASmallAreaFillsTheCacheFromTheDatabase() async throws {
        let demo = try PostGISDemo.start(layers: ["hp_land", "syn_buildings", "syn_roads"], landUse: false)
        defer { demo.shutdown() }
        let postgis = try demo.style(named: "pg", postgisSources: ["hp", "landuse"]) { style in
            style["layers"] = (style["layers"] as! [[String: Any]]).filter {
                ["background", "land", "buildings", "road-minor", "road-primary"].contains($0["id"] as? String ?? "")
            }
        }
        let config = demo.folder + "/seed.yaml"
        try (demo.databasesYAML() + "cache: {directory: \(demo.folder)/cache}\nmaps:\n  - name: pg\n    style: \(postgis)\n    metatile: 2\n")
            .write(toFile: config, atomically: true, encoding: .utf8)
        try demo.cluster.psql("ALTER SYSTEM SET log_statement = 'all'")
        try demo.cluster.psql("SELECT pg_reload_conf()")
        let building = try Self.pointOn("syn_buildings", in: demo)
        let bbox = "\(building.0 - 0.01),\(building.1 - 0.01),\(building.0 + 0.01),\(building.1 + 0.01)"
        for format in ["png", "pbf"] {
            let run = try runCairn(["seed", "--config", config, "--map", "pg", "--zoom", "14-15", "--bbox", bbox, "--format", format, "--progress", "none"])
            #expect(run.status == 0, "\(format): \(run.output)")
        }
        let mbtiles = demo.folder + "/cache/pg.mbtiles"
        let count = try runProgram("/usr/bin/sqlite3", [mbtiles, "SELECT count(*) FROM tiles WHERE length(tile_data) > 200"])
        #expect((Int(count.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0, "\(count.output)")
        let vector = try runProgram("/usr/bin/sqlite3", [demo.folder + "/cache/pg.pbf.mbtiles", "SELECT count(*) FROM tiles"])
        #expect((Int(vector.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0, "\(vector.output)")

        // What the database was asked: per table, only the columns the style reads (buildings: cong_nang)
        // and the key (rows are drawn in key order, as files in file order), the box as a bound envelope
        // the GiST index answers, and a row cap.
        let statements = demo.cluster.serverLog.split(separator: "\n").filter { $0.contains(#"FROM "public"."syn_buildings""#) }
        #expect(!statements.isEmpty)
        for statement in statements {
            #expect(statement.contains(#"SELECT ST_AsBinary("geom"), "cong_nang", "fid"::text FROM "public"."syn_buildings" WHERE "geom" && ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8, $5::int4) LIMIT $6::int8"#),
                    "\(statement)")
        }
    }

    @Test func validateChecksEveryTableAgainstTheDatabase() async throws {
        let demo = try PostGISDemo.start(layers: ["hp_land", "syn_buildings", "syn_roads"], landUse: true)
        defer { demo.shutdown() }
        let keep: Set<String> = ["background", "land", "buildings", "road-minor", "landuse"]
        let good = try demo.style(named: "good", postgisSources: ["hp", "landuse"]) { style in
            style["layers"] = (style["layers"] as! [[String: Any]]).filter { keep.contains($0["id"] as? String ?? "") }
        }
        let missing = try demo.style(named: "missing", postgisSources: ["hp"]) { style in
            style["layers"] = (style["layers"] as! [[String: Any]]).filter { ($0["id"] as? String) == "buildings" }.map { layer in
                var layer = layer
                layer["source-layer"] = "parcels"
                return layer
            }
        }
        let config = demo.folder + "/validate.yaml"
        try (demo.databasesYAML() + "maps:\n  - name: good\n    style: \(good)\n").write(toFile: config, atomically: true, encoding: .utf8)
        let ok = try runCairn(["validate", "--config", config])
        #expect(ok.status == 0, "\(ok.output)")
        #expect(ok.output.contains(#"ok: map good: good.json: source "hp" (database city): table public.syn_buildings: geometry "geom" (SRID "#), "\(ok.output)")
        #expect(ok.output.contains("table public.syn_land_use_vn2000_tm3"), "\(ok.output)")
        // The demo style coalesces two spellings of the land use code; the one the table lacks is said.
        #expect(ok.output.contains(#"warning: map good: good.json: source "landuse" (database city): table public.syn_land_use_vn2000_tm3 has no column "ma_loai_dat""#), "\(ok.output)")

        try (demo.databasesYAML() + "maps:\n  - name: missing\n    style: \(missing)\n").write(toFile: config, atomically: true, encoding: .utf8)
        let failed = try runCairn(["validate", "--config", config])
        #expect(failed.status != 0)
        #expect(failed.output.contains(#"map missing: missing.json: source "hp" (database city): missing.json: source "hp": table public.parcels does not exist in database city"#)
                || failed.output.contains("table public.parcels does not exist in database city (postgresql://cairn@127.0.0.1:\(demo.cluster.port)/city)"), "\(failed.output)")
    }

    /// `cairn` with the test database's password in its environment.
    func runCairn(_ arguments: [String], password: String = PostGISDemo.password) throws -> (status: Int32, output: String) {
        let run = try CommandLineTests.cairn(arguments, environment: ["CAIRN_TEST_PG_PASSWORD": password])
        return (run.status, run.output)
    }
}
