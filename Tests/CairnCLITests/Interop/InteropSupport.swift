import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A live `cairn serve` on 127.0.0.1 for the interoperability tests: one map `hp`, offered in
/// Web Mercator and the VN-2000 Hai Phong grid, with a style from Fixtures/interop.
struct InteropServer {
    static let fixtures = CommandLineTests.testsFolder.appendingPathComponent("Fixtures/interop")
    static let schemas = CommandLineTests.repositoryRoot.appendingPathComponent(".build/ogc-schemas/mapproxy/test/schemas").path
    static let python = "/usr/bin/python3"

    let folder: String
    let port: Int
    let process: Process

    var base: String { "http://127.0.0.1:\(port)" }
    var capabilitiesURL: String { base + "/wmts/1.0.0/WMTSCapabilities.xml" }

    /// GDAL's WMTS connection string for the map in one tile matrix set.
    func gdalWMTS(_ matrixSet: String) -> String { "WMTS:\(capabilitiesURL),layer=hp,tilematrixset=\(matrixSet)" }

    /// GDAL's WMTS connection string restricted to one level (no overviews in between).
    func gdalWMTS(_ matrixSet: String, level: Int) -> String { gdalWMTS(matrixSet) + ",tilematrix=\(level)" }

    /// Starts the server; `style` is a file name in Fixtures/interop.
    static func start(style: String) async throws -> InteropServer {
        let folder = CommandLineTests.temporary("interop")
        let port = try freePort()
        let lines = "  - name: hp\n    style: \(fixtures.appendingPathComponent(style).path)\n    grids: [WebMercatorQuad, VN2000HaiPhong]\n"
        // A full service description, so that the schema checks cover ServiceIdentification and ServiceProvider.
        let service = """
            service:
              title: Bản đồ Hải Phòng & <thử>
              abstract: Bản đồ nền của thành phố Hải Phòng
              keywords: [Hải Phòng, VN-2000, WMTS]
              fees: none
              access_constraints: none
              provider_name: Sở Tài nguyên và Môi trường Hải Phòng
              provider_site: https://portal.example/
              contact_name: GIS team
              contact_email: gis@portal.example

            """
        let process = try await startServer(folder: folder, port: port, mapLines: lines, preamble: service)
        return InteropServer(folder: folder, port: port, process: process)
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// A port nobody listens on now: bind port 0 and read back what the kernel chose.
    static func freePort() throws -> Int {
        let socketHandle = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketHandle >= 0 else { throw InteropError("socket() failed") }
        defer { close(socketHandle) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(socketHandle, pointer, length) == 0 && getsockname(socketHandle, pointer, &length) == 0
            }
        }
        guard bound else { throw InteropError("bind() to 127.0.0.1:0 failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs an external tool in the server's folder (GDAL writes its WMS cache into the working
    /// directory unless told otherwise), without proxies for 127.0.0.1; fails when it exits non-zero.
    @discardableResult
    func tool(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        var environment = ProcessInfo.processInfo.environment
        environment["GDAL_ENABLE_WMS_CACHE"] = "NO"
        environment["NO_PROXY"] = "127.0.0.1,localhost"
        environment["no_proxy"] = "127.0.0.1,localhost"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        let errorLog = folder + "/tool-stderr.log"
        _ = FileManager.default.createFile(atPath: errorLog, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: errorLog)
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            let errors = (try? String(contentsOfFile: errorLog, encoding: .utf8)) ?? ""
            let log = (try? String(contentsOfFile: folder + "/server.log", encoding: .utf8)) ?? ""
            throw InteropError("\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)\n\(text)\n\(errors)\nserver log:\n\(log.suffix(2000))")
        }
        return text
    }

    /// A tool's standard output parsed as a JSON object.
    func json(_ executable: String, _ arguments: [String]) throws -> [String: Any] {
        let text = try tool(executable, arguments)
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw InteropError("\(executable) did not print a JSON object: \(text.prefix(500))")
        }
        return object
    }

    /// Downloads a URL into the server's folder; fails on anything but HTTP 200.
    func download(_ url: String, to name: String) throws -> String {
        let path = folder + "/" + name
        let status = curlStatus(url, output: path)
        guard status == 200 else { throw InteropError("GET \(url): HTTP \(status)") }
        return path
    }

    /// How much of tile `tile` differs from the region of `screenshot` at (x, y): the fraction of
    /// pixels with a channel off by more than 16.
    func differingFraction(_ screenshot: String, _ tile: String, x: Int, y: Int) throws -> Double {
        try bestPlacement(screenshot, tile, x: x, y: y, radius: 0).differing
    }

    /// The placement of `tile` within `radius` pixels of (x, y) in `image` that matches best:
    /// its offset and the fraction of pixels with a channel off by more than 16.
    func bestPlacement(_ image: String, _ tile: String, x: Int, y: Int, radius: Int) throws -> (differing: Double, dx: Int, dy: Int) {
        let result = try json(Self.python, [Self.fixtures.appendingPathComponent("pixels.py").path, "patch", image, tile, String(x), String(y), String(radius)])
        guard let differing = result["differing"] as? Double, let dx = result["dx"] as? Int, let dy = result["dy"] as? Int else {
            throw InteropError("pixels.py patch \(image) \(tile): \(result)")
        }
        return (differing, dx, dy)
    }
}

struct InteropError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
