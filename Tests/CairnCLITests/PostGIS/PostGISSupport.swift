import CairnTestSupport
import Foundation
import Testing

/// A real PostgreSQL + PostGIS with the Hải Phòng demo layers loaded by `ogr2ogr` (names and column
/// case kept, geometry column `geom`, a GiST index, the VN-2000 land use kept in EPSG:9210), a
/// read-only role `cairn`, and styles that read the same layers from files and from the database.
struct PostGISDemo {
    static let password = "pg-Secret-7f3a9c"
    static let demoLayers = ["hp_land", "hp_districts", "syn_wards", "hp_sea", "hp_rivers", "hp_coastline", "syn_buildings", "syn_roads", "syn_pois", "hp_places_geonames"]
    static let landUse = "syn_land_use_vn2000_tm3"

    let cluster: PostgresCluster
    let folder: String

    static func start(layers: [String] = demoLayers, landUse: Bool = true) throws -> PostGISDemo {
        let cluster = try PostgresCluster()
        do {
            try cluster.createDatabase("city")
            let gpkg = CommandLineTests.repositoryRoot.appendingPathComponent("data/hai_phong_demo.gpkg").path
            for layer in layers { try load(gpkg, layer: layer, into: cluster) }
            if landUse {
                try load(CommandLineTests.repositoryRoot.appendingPathComponent("data/\(Self.landUse).shp").path, layer: Self.landUse, into: cluster)
            }
            try cluster.createRole("cairn", password: password, readOnlyOn: "city")
        } catch {
            cluster.shutdown()
            throw error
        }
        return PostGISDemo(cluster: cluster, folder: CommandLineTests.temporary("postgis"))
    }

    static func load(_ file: String, layer: String, into cluster: PostgresCluster) throws {
        // Multi types for the shapefile: it mixes polygons and multipolygons in one layer.
        let multi = file.hasSuffix(".shp") ? ["-nlt", "PROMOTE_TO_MULTI"] : []
        let result = try runProgram("/usr/bin/ogr2ogr", multi + [
            "-f", "PostgreSQL", "PG:host=\(cluster.host) port=\(cluster.port) user=postgres dbname=city", file, layer,
            "-nln", layer, "-lco", "LAUNDER=NO", "-lco", "GEOMETRY_NAME=geom", "-lco", "SPATIAL_INDEX=GIST", "-lco", "FID=fid",
        ])
        guard result.status == 0 else { throw PostGISTestError("ogr2ogr \(layer) failed: \(result.output)") }
    }

    func shutdown() { cluster.shutdown() }

    /// The demo style with `files` sources as in the repository and the others read from `postgis://city`.
    /// - Parameter postgisSources: style source ids to read from the database (`hp`, `landuse`).
    func style(named name: String, postgisSources: Set<String>, edit: (inout [String: Any]) -> Void = { _ in }) throws -> String {
        let original = CommandLineTests.repositoryRoot.appendingPathComponent("styles/hai-phong.json")
        var style = try JSONSerialization.jsonObject(with: Data(contentsOf: original)) as! [String: Any]
        var sources = style["sources"] as! [String: Any]
        for (id, value) in sources {
            var source = value as! [String: Any]
            if postgisSources.contains(id) {
                source["url"] = "postgis://city"
                source["crs"] = nil
            } else if let url = source["url"] as? String {
                source["url"] = original.deletingLastPathComponent().appendingPathComponent(url).standardizedFileURL.path
            } else if let data = source["data"] as? String {
                source["data"] = original.deletingLastPathComponent().appendingPathComponent(data).standardizedFileURL.path
            }
            sources[id] = source
        }
        style["sources"] = sources
        edit(&style)
        let path = folder + "/" + name + ".json"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: style, options: [.sortedKeys]).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// `databases:` naming this cluster as user `cairn`, password from `CAIRN_TEST_PG_PASSWORD`.
    func databasesYAML(port: Int? = nil, statementTimeout: Int = 5000) -> String {
        """
        databases:
          city:
            url: postgresql://cairn@\(cluster.host):\(port ?? cluster.port)/city
            password_env: CAIRN_TEST_PG_PASSWORD
            pool: 4
            statement_timeout_ms: \(statementTimeout)
            tls: disable

        """
    }
}

/// A `cairn serve` of a configuration naming a database, with the password in its environment
/// (never on the command line), its log in `folder/server.log`.
struct PostGISServer {
    let folder: String
    let port: Int
    let process: Process
    var base: String { "http://127.0.0.1:\(port)" }
    var logPath: String { folder + "/server.log" }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    static func start(folder: String, configuration: String, password: String = PostGISDemo.password,
                      waitForHealth: Bool = true) async throws -> PostGISServer {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let port = try InteropServer.freePort()
        let config = folder + "/cairn-\(port).yaml"
        let text = "listen: {host: 127.0.0.1, port: \(port)}\ncache: {directory: \(folder)/cache-\(port)}\n" + configuration
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        let log = folder + "/server.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: CommandLineTests.binary)
        server.arguments = ["serve", "--config", config]
        var environment = ProcessInfo.processInfo.environment
        environment["CAIRN_TEST_PG_PASSWORD"] = password
        server.environment = environment
        server.standardOutput = FileHandle(forWritingAtPath: log)
        server.standardError = server.standardOutput
        try server.run()
        let started = PostGISServer(folder: folder, port: port, process: server)
        if await Wait.until(timeout: .seconds(60), interval: .milliseconds(50), {
            server.isRunning && Wait.portAccepts(port) && (!waitForHealth || curlStatus("http://127.0.0.1:\(port)/health") == 200)
        }) {
            return started
        }
        server.terminate()
        throw PostGISTestError("cairn serve did not start: " + started.log)
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// GET `path`: status, headers (lower-cased names) and body.
    func get(_ path: String) throws -> HTTPAnswer {
        let body = folder + "/body-\(UUID().uuidString)"
        let headers = body + ".headers"
        defer {
            try? FileManager.default.removeItem(atPath: body)
            try? FileManager.default.removeItem(atPath: headers)
        }
        let result = try runProgram("/usr/bin/curl", ["-s", "-o", body, "-D", headers, "-w", "%{http_code}", "--max-time", "60", base + path])
        let headerText = (try? String(contentsOfFile: headers, encoding: .utf8)) ?? ""
        var fields: [String: String] = [:]
        for line in headerText.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return HTTPAnswer(status: Int(result.output) ?? 0, headers: fields, body: (try? Data(contentsOf: URL(fileURLWithPath: body))) ?? Data())
    }

    /// `/health` as JSON.
    func health() throws -> [String: Any] {
        let answer = try get("/health")
        return (try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any]) ?? [:]
    }
}

struct HTTPAnswer {
    var status: Int
    var headers: [String: String]
    var body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
}

struct PostGISTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
