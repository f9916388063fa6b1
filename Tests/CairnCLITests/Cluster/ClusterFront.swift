import CairnEngine
import Foundation
import Testing
import CairnTestSupport

/// The cluster of deploy/: three `cairn serve` instances on 127.0.0.1 (distinct ports, their own
/// cache folders, one shared style folder and one `cluster:` section) behind nginx with njs running
/// deploy/nginx/cairn-cluster.conf and cairn.js as shipped, templated only for ports and paths,
/// with the upstream block that `cairn cluster nginx-upstream` prints for the instances' configuration.
final class ClusterFixture: @unchecked Sendable {
    let folder: String
    let instances: [SecurityServer]
    let front: ClusterFront
    /// The instances as the `cluster:` section and the nginx `server` lines write them.
    let addresses: [String]
    let ring: ClusterRing
    /// The API key of internal map `secret`, valid on every instance.
    let key: String

    private init(folder: String, instances: [SecurityServer], front: ClusterFront, addresses: [String], key: String) {
        self.folder = folder
        self.instances = instances
        self.front = front
        self.addresses = addresses
        self.ring = ClusterRing(instances: addresses)
        self.key = key
    }

    /// Map `mini` (public, metatile 2, `max_age` 2 s) and `secret` (internal), from a copy of the
    /// mini style in `folder/style` that every instance reads.
    static func start(_ name: String) async throws -> ClusterFixture {
        try #require(FileManager.default.isExecutableFile(atPath: ClusterFront.nginx), "nginx is missing: run scripts/install-deps")
        try #require(FileManager.default.fileExists(atPath: ClusterFront.jsModule), "nginx's njs module is missing (libnginx-mod-http-js): run scripts/install-deps")
        let folder = CommandLineTests.temporary(name)
        let styleFolder = folder + "/style"
        try FileManager.default.createDirectory(atPath: styleFolder, withIntermediateDirectories: true)
        let fixture = URL(fileURLWithPath: CommandLineTests.miniStyle).deletingLastPathComponent().path
        for file in try FileManager.default.contentsOfDirectory(atPath: fixture) {
            try FileManager.default.copyItem(atPath: fixture + "/" + file, toPath: styleFolder + "/" + file)
        }
        let ports = try (0..<3).map { _ in try InteropServer.freePort() }
        let addresses = ports.map { "127.0.0.1:\($0)" }
        let keysFile = folder + "/keys.yaml"
        let created = try runProgram(CommandLineTests.binary, ["keys", "create", "--keys-file", keysFile, "--maps", "secret"])
        guard created.status == 0 else { throw InteropError("cairn keys create failed: \(created.output)") }
        let key = created.output.trimmingCharacters(in: .whitespacesAndNewlines)
        var instances: [SecurityServer] = []
        do {
            for (index, port) in ports.enumerated() {
                instances.append(try await SecurityServer.start("\(name)-instance\(index + 1)", mapLines: """
                      - name: mini
                        style: \(styleFolder)/style.json
                        metatile: 2
                        max_age: 2
                      - name: secret
                        style: \(styleFolder)/style.json
                        metatile: 2
                        access: internal

                    """, preamble: """
                    limits:
                      per_ip: {requests_per_second: 0, renders_per_second: 0}
                    auth:
                      keys_file: \(keysFile)
                    cluster:
                      instances: [\(addresses.map { "\"\($0)\"" }.joined(separator: ", "))]

                    """, admin: true, port: port))
            }
            let upstream = try CommandLineTests.cairn(["cluster", "nginx-upstream", "--config", instances[0].folder + "/cairn.yaml"])
            guard upstream.status == 0 else { throw InteropError("cairn cluster nginx-upstream failed: \(upstream.output)") }
            let front = try ClusterFront.start(folder: folder + "/nginx", upstream: upstream.output)
            return ClusterFixture(folder: folder, instances: instances, front: front, addresses: addresses, key: key)
        } catch {
            instances.forEach { $0.stop() }
            throw error
        }
    }

    func stop() {
        front.stop()
        instances.forEach { $0.stop() }
    }

    /// The instance (0-based) the Swift ring sends a tile of `map` to.
    func predictedInstance(map: String = "mini", z: Int, x: Int, y: Int, metatileSize: Int = 2) -> Int? {
        ring.instance(for: ClusterRing.metatileKey(map: map, z: z, x: x, y: y, metatileSize: metatileSize))
    }

    /// `cairn_renders_total` of each instance.
    func renderCounts() throws -> [Double] {
        try instances.map { try $0.metrics()["cairn_renders_total"] ?? -1 }
    }
}

/// nginx (with njs) as a child process in its own folder, logging for each request the URI, the
/// instance that answered, its status and the front cache's status.
final class ClusterFront: @unchecked Sendable {
    static let nginx = "/usr/sbin/nginx"
    static let jsModule = "/usr/lib/nginx/modules/ngx_http_js_module.so"
    static let deployFolder = CommandLineTests.repositoryRoot.appendingPathComponent("deploy/nginx").path

    let folder: String
    let port: Int
    let process: Process
    var base: String { "http://127.0.0.1:\(port)" }

    private init(folder: String, port: Int, process: Process) {
        self.folder = folder
        self.port = port
        self.process = process
    }

    static func start(folder: String, upstream: String) throws -> ClusterFront {
        try FileManager.default.createDirectory(atPath: folder + "/cache", withIntermediateDirectories: true)
        let port = try InteropServer.freePort()
        var cluster = try String(contentsOfFile: deployFolder + "/cairn-cluster.conf", encoding: .utf8)
        for (shipped, test) in [("/etc/nginx/cairn/", folder + "/"), ("/var/cache/nginx/cairn", folder + "/cache"),
                                ("listen 80;", "listen 127.0.0.1:\(port);"), ("listen [::]:80;", "")] {
            guard cluster.contains(shipped) else { throw InteropError("deploy/nginx/cairn-cluster.conf no longer contains \"\(shipped)\"; update the test's templating") }
            cluster = cluster.replacingOccurrences(of: shipped, with: test)
        }
        try cluster.write(toFile: folder + "/cairn-cluster.conf", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: deployFolder + "/cairn.js", toPath: folder + "/cairn.js")
        try upstream.write(toFile: folder + "/cairn-upstream.conf", atomically: true, encoding: .utf8)
        let main = """
            load_module \(jsModule);
            daemon off;
            worker_processes 1;
            pid \(folder)/nginx.pid;
            error_log \(folder)/error.log;
            events { worker_connections 256; }
            http {
                log_format cluster '$request_uri|$upstream_addr|$upstream_status|$upstream_cache_status|$status';
                access_log \(folder)/access.log cluster;
                client_body_temp_path \(folder)/body;
                proxy_temp_path \(folder)/proxy;
                fastcgi_temp_path \(folder)/fastcgi;
                uwsgi_temp_path \(folder)/uwsgi;
                scgi_temp_path \(folder)/scgi;
                include \(folder)/cairn-cluster.conf;
            }
            """
        try main.write(toFile: folder + "/nginx.conf", atomically: true, encoding: .utf8)
        // Workers run as nobody when the tests run as root.
        _ = try? runProgram("/bin/chmod", ["-R", "777", folder])
        let process = try NginxProcess.start(nginx, folder: folder, port: port) { curlStatus("http://127.0.0.1:\(port)/health") == 200 }
        return ClusterFront(folder: folder, port: port, process: process)
    }

    func stop() { NginxProcess.stop(process) }

    func get(_ path: String, headers: [String] = []) throws -> HTTPReply {
        try HTTPReply.curl(base + path, method: "GET", headers: headers, body: nil, folder: folder)
    }

    /// GETs all `paths` with one curl, up to `parallel` at a time; the HTTP status of each, in order.
    func getAll(_ paths: [String], parallel: Int = 8) throws -> [Int] {
        let config = folder + "/curl-\(UUID().uuidString).txt"
        defer { try? FileManager.default.removeItem(atPath: config) }
        try paths.map { "url = \"\(base + $0)\"\noutput = \"/dev/null\"\n" }.joined().write(toFile: config, atomically: true, encoding: .utf8)
        let run = try runProgram("/usr/bin/curl", ["-s", "-g", "--path-as-is", "--noproxy", "*", "--max-time", "60", "--parallel", "--parallel-immediate",
                                                    "--parallel-max", String(parallel), "-w", "%{url_effective} %{http_code}\\n", "-K", config])
        var statuses: [String: Int] = [:]
        for line in run.output.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2 { statuses[String(parts[0]), default: 0] = Int(parts[1]) ?? 0 }
        }
        return paths.map { statuses[base + $0] ?? 0 }
    }

    struct LogLine {
        var uri: String
        /// The instances tried, in order ("-" when the front answered from its cache).
        var upstreams: [String]
        var upstreamStatuses: [String]
        var cacheStatus: String
        var status: Int
    }

    /// The access log so far.
    func log() -> [LogLine] {
        let text = (try? String(contentsOfFile: folder + "/access.log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 5 else { return nil }
            let list = { (text: String) in text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            return LogLine(uri: fields[0], upstreams: list(fields[1]), upstreamStatuses: list(fields[2]), cacheStatus: fields[3], status: Int(fields[4]) ?? 0)
        }
    }

    /// Waits until the log has an entry for each of `count` requests of `paths` (nginx writes it
    /// after the response), then returns the entries for those paths.
    func logEntries(for paths: Set<String>, atLeast count: Int) async -> [LogLine] {
        var entries: [LogLine] = []
        _ = await Wait.until(timeout: .seconds(10), interval: .milliseconds(50)) {
            entries = log().filter { paths.contains($0.uri) }
            return entries.count >= count
        }
        return entries
    }
}
