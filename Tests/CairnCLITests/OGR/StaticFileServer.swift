import CairnTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Python's `http.server` serving a folder on 127.0.0.1, with the requests it received, to show
/// what Cairn (and GDAL inside it) fetched, and that it fetched nothing it was not allowed to.
struct StaticFileServer {
    let folder: String
    let port: Int
    let process: Process
    let logPath: String

    var base: String { "http://127.0.0.1:\(port)" }

    static func start(serving folder: String) async throws -> StaticFileServer {
        let port = try InteropServer.freePort()
        let logPath = folder + ".requests.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: InteropServer.python)
        process.arguments = ["-u", "-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", folder]
        process.standardOutput = FileHandle(forWritingAtPath: logPath)
        process.standardError = process.standardOutput
        try process.run()
        guard await Wait.until(timeout: .seconds(20), interval: .milliseconds(20), { Wait.portAccepts(port) }) else {
            process.terminate()
            throw InteropError("python3 -m http.server did not start on port \(port)")
        }
        return StaticFileServer(folder: folder, port: port, process: process, logPath: logPath)
    }

    /// The paths requested so far ("GET /districts.fgb" → "/districts.fgb"), in order.
    var requestedPaths: [String] {
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return log.split(separator: "\n").compactMap { line in
            guard let start = line.range(of: "\"GET ") ?? line.range(of: "\"HEAD ") else { return nil }
            return line[start.upperBound...].split(separator: " ").first.map(String.init)
        }
    }

    /// SIGKILL: Python inherits the test process's blocked signals, so it never sees a SIGTERM.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
