import Foundation
import Testing
import CairnTestSupport

/// A live `cairn serve` on 127.0.0.1 for the security suite, with an optional admin listener;
/// everything it prints goes to `folder/server.log`, which the tests search for secrets.
final class SecurityServer: @unchecked Sendable {
    static let adminToken = "adm1n-T0ken-" + String(UUID().uuidString.prefix(8)) + "-nEver-logged"

    let folder: String
    let port: Int
    let adminPort: Int?
    let process: Process

    var base: String { "http://127.0.0.1:\(port)" }
    var adminBase: String { "http://127.0.0.1:\(adminPort ?? 0)" }
    var log: String { (try? String(contentsOfFile: folder + "/server.log", encoding: .utf8)) ?? "" }

    private init(folder: String, port: Int, adminPort: Int?, process: Process) {
        self.folder = folder
        self.port = port
        self.adminPort = adminPort
        self.process = process
    }

    /// Writes `cairn.yaml` (`preamble` then `maps:` + `mapLines`) and starts the server, waiting
    /// up to a minute for `/health` (large pathological layers take seconds to load in debug builds).
    /// - Parameters:
    ///   - prepare: runs with the server's folder before it starts (e.g. to create API keys there).
    ///   - environment: extra environment variables (secrets named by the configuration).
    ///   - launcher: a program and its arguments that start `cairn` (e.g. `prlimit --nofile=1024:1024`).
    ///   - port: the port to listen on (default: a free one), for configurations that name it beforehand.
    ///   - memoryCache: false turns the in-memory tile cache off (`cache.memory: 0`), so every request reads the file.
    static func start(_ name: String, mapLines: String, memoryCache: Bool = true, preamble: String = "", admin: Bool = false,
                      environment extra: [String: String] = [:], launcher: [String] = [], port chosenPort: Int? = nil,
                      prepare: (String) throws -> Void = { _ in }) async throws -> SecurityServer {
        let folder = CommandLineTests.temporary(name)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try prepare(folder)
        let port = try chosenPort ?? InteropServer.freePort()
        let config = folder + "/cairn.yaml"
        let text = "listen: {host: 127.0.0.1, port: \(port)}\ncache: {directory: cache\(memoryCache ? "" : ", memory: 0")}\n" + preamble + "maps:\n" + mapLines
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        let log = folder + "/server.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLineTests.binary)
        var arguments = ["serve", "--config", config]
        var adminPort: Int?
        var environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        if admin {
            let chosen = try InteropServer.freePort()
            adminPort = chosen
            arguments += ["--admin-port", String(chosen)]
            environment["CAIRN_ADMIN_TOKEN"] = adminToken
        }
        process.environment = environment
        process.arguments = arguments
        if let program = launcher.first {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = Array(launcher.dropFirst()) + [CommandLineTests.binary] + arguments
        }
        process.standardOutput = FileHandle(forWritingAtPath: log)
        process.standardError = process.standardOutput
        try process.run()
        let server = SecurityServer(folder: folder, port: port, adminPort: adminPort, process: process)
        let up = await Wait.until(timeout: .seconds(60), interval: .milliseconds(50)) {
            !process.isRunning || (Wait.portAccepts(port) && curlStatus(server.base + "/health") == 200)
        }
        if up && process.isRunning { return server }
        server.stop()
        throw InteropError("cairn serve did not start: " + server.log.suffix(3000))
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// One request with curl, the path sent as written (`--path-as-is`, no globbing).
    func request(_ path: String, method: String = "GET", headers: [String] = [], body: String? = nil, admin: Bool = false) throws -> HTTPReply {
        try HTTPReply.curl((admin ? adminBase : base) + path, method: method, headers: headers, body: body, folder: folder)
    }

    /// The reply once `path` is answered from the cache (`X-Cairn-Cache: HIT`): a cold tile is answered
    /// before its metatile is stored, so the next request can still join the render. The last reply
    /// after 20 s otherwise.
    func requestWhenCached(_ path: String, headers: [String] = []) throws -> HTTPReply {
        var reply = try request(path, headers: headers)
        try Wait.untilBlocking(timeout: .seconds(20), interval: .milliseconds(20)) {
            if reply.header("X-Cairn-Cache") == "HIT" { return true }
            reply = try request(path, headers: headers)
            return false
        }
        return reply
    }

    /// Whether the server still serves a normal tile (200, a PNG).
    func isAlive(tile: String = "/maps/mini/13/6523/3610.png") -> Bool {
        guard process.isRunning, let reply = try? request(tile) else { return false }
        return reply.status == 200 && reply.body.starts(with: [0x89, 0x50, 0x4E, 0x47])
    }

    /// The admin metrics, as name (with labels) → value.
    func metrics() throws -> [String: Double] {
        let reply = try request("/admin/metrics", headers: ["Authorization: Bearer \(Self.adminToken)"], admin: true)
        var values: [String: Double] = [:]
        for line in reply.text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let value = Double(parts[1]) { values[String(parts[0])] = value }
        }
        return values
    }

    /// Bytes sent over a fresh TCP connection, and everything the server answered until it closed
    /// the connection or went quiet for `timeout` seconds.
    func raw(_ bytes: [UInt8], timeout: Double = 3) throws -> String {
        let script = """
            import socket, sys
            s = socket.create_connection(('127.0.0.1', \(port)))
            s.settimeout(\(timeout))
            data = sys.stdin.buffer.read()
            try:
                s.sendall(data)
            except OSError:
                pass
            out = b''
            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    out += chunk
            except OSError:
                pass
            sys.stdout.buffer.write(out)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(bytes))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

/// Status, headers (lower-cased names) and body of one HTTP exchange.
struct HTTPReply {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? { headers[name.lowercased()] }

    static func curl(_ url: String, method: String, headers: [String], body: String?, folder: String) throws -> HTTPReply {
        let id = UUID().uuidString
        let headerFile = folder + "/h-\(id)"
        let bodyFile = folder + "/b-\(id)"
        defer {
            try? FileManager.default.removeItem(atPath: headerFile)
            try? FileManager.default.removeItem(atPath: bodyFile)
        }
        var arguments = ["-s", "-g", "--path-as-is", "--max-time", "30", "-X", method, "-D", headerFile, "-o", bodyFile, "-w", "%{http_code}", "--noproxy", "*"]
        for header in headers { arguments += ["-H", header] }
        if let body { arguments += ["--data-binary", body] }
        arguments.append(url)
        let run = try runProgram("/usr/bin/curl", arguments)
        var fields: [String: String] = [:]
        let headerText = (try? String(contentsOfFile: headerFile, encoding: .utf8)) ?? ""
        for line in headerText.split(separator: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let data = FileManager.default.contents(atPath: bodyFile) ?? Data()
        return HTTPReply(status: Int(run.output) ?? 0, headers: fields, body: Array(data))
    }
}

/// Test data that real servers choke on, generated by the tests.
enum PathologicalData {
    /// A style with one fill layer over `geojson`, beside it in `folder`.
    static func writeStyle(folder: String, geojson: String) throws -> String {
        let style = """
            {"version": 8, "sources": {"data": {"type": "geojson", "data": "\(geojson)"}},
             "layers": [{"id": "bg", "type": "background", "paint": {"background-color": "#ffffff"}},
                        {"id": "fill", "type": "fill", "source": "data", "paint": {"fill-color": "#cc3300"}}]}
            """
        let path = folder + "/style-\(geojson).json"
        try style.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `features` star-shaped polygons of `vertices` points each around central Hai Phong
    /// (106.68 E, 20.86 N), all overlapping tile 13/6523/3610.
    static func writeStars(to path: String, features: Int, vertices: Int) throws {
        var text = Array(#"{"type":"FeatureCollection","features":["#.utf8)
        text.reserveCapacity(features * vertices * 24 + 1024)
        for feature in 0..<features {
            if feature > 0 { text.append(UInt8(ascii: ",")) }
            text += Array(#"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[["#.utf8)
            let centerX = 106.68 + Double(feature % 10) * 0.001
            let centerY = 20.86 + Double(feature / 10 % 10) * 0.001
            var first: [UInt8] = []
            for index in 0...vertices {
                let angle = 2 * Double.pi * Double(index % vertices) / Double(vertices)
                let radius = index % 2 == 0 ? 0.05 : 0.03
                var point = Array("[".utf8)
                appendFixed(centerX + radius * cos(angle), to: &point)
                point.append(UInt8(ascii: ","))
                appendFixed(centerY + radius * sin(angle), to: &point)
                point.append(UInt8(ascii: "]"))
                if index == 0 { first = point }
                if index > 0 { text.append(UInt8(ascii: ",")) }
                text += index == vertices ? first : point
            }
            text += Array("]]}}".utf8)
        }
        text += Array("]}".utf8)
        try Data(text).write(to: URL(fileURLWithPath: path))
    }

    /// Six decimals, without Foundation's formatter (a million of them must be quick).
    static func appendFixed(_ value: Double, to bytes: inout [UInt8]) {
        let scaled = Int((value * 1_000_000).rounded())
        let whole = scaled / 1_000_000
        var fraction = scaled % 1_000_000
        bytes += Array(String(whole).utf8)
        bytes.append(UInt8(ascii: "."))
        var digits = [UInt8](repeating: 0x30, count: 6)
        for position in (0..<6).reversed() {
            digits[position] = UInt8(0x30 + fraction % 10)
            fraction /= 10
        }
        bytes += digits
    }
}
