import Foundation
import CairnTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Failures as the README shows them: `error: ` before every line (never ArgumentParser's `Error:`),
/// configuration problems in line order naming file, line and key path, a busy port named with its
/// address. They start `cairn` processes, so they run with `CAIRN_INTEROP=1`.
@Suite(.interop, .serialized)
struct ErrorMessageTests {
    /// A style that loads at once: one background layer.
    static func writeTinyStyle(in folder: String) throws {
        try ##"{"version": 8, "sources": {}, "layers": [{"id": "bg", "type": "background", "paint": {"background-color": "#fff"}}]}"##
            .write(toFile: folder + "/tiny.json", atomically: true, encoding: .utf8)
    }

    @Test func configurationProblemsComeInLineOrderEachAsAnError() throws {
        let folder = try CairnProcess.temporaryFolder()
        try Self.writeTinyStyle(in: folder)
        // Read in another order than written: unknown top-level keys and `limits` are checked first.
        let yaml = """
        listen:
          port: 0
        limits:
          render_queue: none
        maps:
          - name: tiny
            style: tiny.json
            metatile: big
        cahce:
          directory: cache
        """
        try yaml.write(toFile: folder + "/cairn.yaml", atomically: true, encoding: .utf8)
        let run = try CairnProcess.cairn(["validate", "--config", "cairn.yaml"], in: folder)
        #expect(run.status == 1)
        let lines = run.lines
        #expect(lines.count == 4, "\(run.output)")
        let allErrors = lines.allSatisfy { $0.hasPrefix("error: cairn.yaml:") }
        #expect(allErrors, "\(run.output)")
        let numbers = lines.compactMap { line in Int(line.dropFirst("error: cairn.yaml:".count).prefix { $0.isNumber }) }
        #expect(numbers == [2, 4, 8, 9], "\(run.output)")
        #expect(lines.first == "error: cairn.yaml:2: listen.port: expected an integer from 1 to 65535, got \"0\"")
        #expect(lines.last?.hasPrefix("error: cairn.yaml:9: cahce: unknown key") == true, "\(run.output)")
        // `serve` reports them the same way before starting.
        let serve = try CairnProcess.cairn(["serve", "--config", "cairn.yaml"], in: folder)
        #expect(serve.status == 1)
        #expect(serve.lines == lines, "\(serve.output)")
    }

    @Test func argumentErrorsAreLowercaseToo() throws {
        let run = try CairnProcess.cairn(["seed", "--map", "hai-phong", "--zoom", "12-99"])
        #expect(run.status != 0)
        #expect(run.output.hasPrefix("error: --zoom: expected A-B"), "\(run.output)")
        #expect(!run.output.contains("Error:"), "\(run.output)")
        let missing = try CairnProcess.cairn(["keys", "create"])
        #expect(missing.status != 0)
        #expect(missing.output.hasPrefix("error: "), "\(missing.output)")
        let help = try CairnProcess.cairn(["--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("USAGE: cairn"), "\(help.output)")
    }

    @Test func aStyleErrorNamesTheFileAndJSONPath() throws {
        let run = try CairnProcess.cairn(["validate", "--style", "styles/broken.json"], in: CairnProcess.repositoryRoot.path)
        #expect(run.status == 1)
        #expect(run.lines == [#"error: styles/broken.json: layers[4].paint.line-width: expected number or expression, got "wide""#], "\(run.output)")
    }

    @Test func aBusyPortIsNamed() throws {
        let (socket, port) = try Self.listeningSocket()
        defer { close(socket) }
        let folder = try CairnProcess.temporaryFolder()
        try Self.writeTinyStyle(in: folder)
        try "listen: {host: 127.0.0.1, port: \(port)}\ncache: {directory: cache}\nmaps:\n  - name: tiny\n    style: tiny.json\n"
            .write(toFile: folder + "/cairn.yaml", atomically: true, encoding: .utf8)
        let run = try CairnProcess.cairn(["serve", "--config", "cairn.yaml"], in: folder)
        #expect(run.status == 1)
        #expect(run.output.contains("error: cannot listen on 127.0.0.1:\(port): address already in use"), "\(run.output)")
        #expect(!run.output.contains("bind(descriptor"), "\(run.output)")
        #expect(!run.output.contains("Error:"), "\(run.output)")
    }

    @Test func aBusyAdminPortIsNamedAsTheAdminAPIs() throws {
        let (socket, adminPort) = try Self.listeningSocket()
        defer { close(socket) }
        let (other, publicPort) = try Self.listeningSocket()
        close(other)
        let folder = try CairnProcess.temporaryFolder()
        try Self.writeTinyStyle(in: folder)
        try String(repeating: "a", count: 32).write(toFile: folder + "/token", atomically: true, encoding: .utf8)
        try "cache: {directory: cache}\nmaps:\n  - name: tiny\n    style: tiny.json\n".write(toFile: folder + "/cairn.yaml", atomically: true, encoding: .utf8)
        let run = try CairnProcess.cairn(["serve", "--config", "cairn.yaml", "--host", "127.0.0.1", "--port", "\(publicPort)",
                                          "--admin-port", "\(adminPort)", "--admin-token-file", "token"], in: folder)
        #expect(run.status == 1)
        #expect(run.output.contains("error: cannot listen on 127.0.0.1:\(adminPort) (the admin API): address already in use"), "\(run.output)")
    }

    /// A TCP socket listening on 127.0.0.1 at a port the system chose.
    static func listeningSocket() throws -> (Int32, Int) {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 1) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        let named = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        guard named == 0 else { close(fd); throw POSIXError(.EIO) }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}
