import Foundation
import Testing
import CairnTestSupport

/// Issue 11, item 5 against a live `cairn serve`: a connection cap below the open-file limit with
/// a fast 503 past it, a request-head timeout (slowloris), idle timeouts on both listeners, and
/// HTTP/1.0 connections closed after their response. Timeouts are configured short so the tests
/// run in seconds; the defaults (10 s head, 60 s idle, 30 s write) are the same code.
@Suite(.interop, .serialized)
struct ConnectionLimitTests {
    static let mapLines = "  - name: mini\n    style: \(CommandLineTests.miniStyle)\n"

    static func limits(head: Int, idle: Int) -> String {
        "limits:\n  head_timeout_ms: \(head)\n  idle_timeout_ms: \(idle)\n"
    }

    /// 1,100 idle sockets against a server whose open-file limit is 1,024 (issue 11: it became
    /// unreachable, spinning at 97 % CPU). Now the sockets past the derived cap get a 503 at once,
    /// a kept-alive client is served throughout, and a new client is served as soon as the head
    /// timeout has closed the idle sockets holding the cap.
    @Test func elevenHundredIdleSocketsDoNotStarveTheServer() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit") else {
            Issue.record("prlimit (util-linux) is needed to give the server an open-file limit of 1024")
            return
        }
        let server = try await SecurityServer.start("t-conn-flood", mapLines: Self.mapLines, preamble: Self.limits(head: 8000, idle: 30000),
                                                    launcher: ["/usr/bin/prlimit", "--nofile=1024:1024"])
        defer { server.stop() }
        #expect(server.log.contains("open-file limit 1024: at most"), "\(server.log.suffix(2000))")
        let result = try ConnectionProbe.run(["flood", String(server.port), "1100", String(server.process.processIdentifier)])
        print("1,100 idle sockets:", result)
        let refused = result["refused_503"] as? Int ?? 0
        #expect(result["opened"] as? Int == 1100, "\(result)")
        #expect(refused >= 300, "sockets past the cap were not refused: \(result)")
        // Refused by the cap as they arrive, not left waiting for the 8 s head timeout (the bound leaves
        // room for a loaded CI machine: the probe measured 1.05 s when idle, and 2.1 s when loaded
        // before it polled during the flood).
        #expect((result["slowest_refusal_seconds"] as? Double ?? 99) < 4, "\(result)")
        let refusal = result["refusal"] as? String ?? ""
        #expect(refusal.contains("Retry-After: 5") && refusal.contains("Connection: close"), "\(refusal)")
        #expect((result["server_open_files"] as? Int ?? 9999) < 1024, "\(result)")
        #expect((result["kept_alive_status"] as? String)?.hasPrefix("HTTP/1.1 200") == true, "\(result)")
        // Served well before the 30 s idle timeout: the 8 s head timeout freed the places.
        let served = try #require(result["health_served_after_seconds"] as? Double, "\(result)")
        #expect(served < 20, "\(result)")
        #expect((result["tile_status"] as? String)?.hasPrefix("HTTP/1.1 200") == true, "\(result)")
        #expect(result["tile_is_png"] as? Bool == true)
        // Idle sockets cost no busy loop.
        #expect((result["server_cpu_seconds"] as? Double ?? 99) < (result["elapsed_seconds"] as? Double ?? 0) * 0.5, "\(result)")
        #expect(server.process.isRunning)
        // The operator is told, once, not once per refusal.
        let reports = server.log.split(separator: "\n").filter { $0.contains("connection cap of") }
        #expect(reports.count == 1, "\(reports)")
        #expect(reports.first?.contains("refused with 503") == true)
    }

    /// T22 (and R12, scaled to the test machine): 300 idle keep-alive connections, 200 slowloris
    /// connections and 20 clients that pipeline 400 tiles each and never read, all at once. The
    /// head timeout closes the slow ones (408), the write timeout the deaf ones, the idle timeout
    /// the idle ones; every descriptor is released within the longest timeout + 5 s, and a normal
    /// client fetching a tile throughout is served every time.
    @Test func slowIdleAndDeafClientsAreAllReleased() async throws {
        let limits = Self.limits(head: 2000, idle: 6000) + "  write_timeout_ms: 2000\n"
            + "  per_ip: {requests_per_second: 0, burst: 0, renders_per_second: 0, render_burst: 0}\n"
        let server = try await SecurityServer.start("t22-slow-clients", mapLines: Self.mapLines, preamble: limits)
        defer { server.stop() }
        let result = try ConnectionProbe.run(["t22", String(server.port), String(server.process.processIdentifier), "300", "200", "20"])
        print("T22:", result)
        #expect(result["idle_closed"] as? Int == 300, "\(result)")
        #expect(result["slow_closed"] as? Int == 200, "\(result)")
        #expect((result["slow_answered_408"] as? Int ?? 0) >= 190, "\(result)")
        #expect(result["deaf_closed_by_server"] as? Int == 20, "\(result)")
        // Idle connections get their idle timeout, not the head timeout.
        #expect((result["idle_closed_first_seconds"] as? Double ?? 0) >= 4, "\(result)")
        #expect((result["slow_closed_last_seconds"] as? Double ?? 99) < 6, "\(result)")
        let released = try #require(result["all_released_after_seconds"] as? Double, "descriptors not released: \(result)")
        #expect(released < 6 + 5, "\(result)")
        // A sanity check that the connections were open at once: the 300 idle ones stay open 6 s; the
        // slow ones can be closed (2 s head timeout) before a loaded machine has opened them all.
        #expect((result["peak_open_files"] as? Int ?? 0) > 300, "the connections were never open: \(result)")
        let statuses = result["normal_statuses"] as? [String: Int] ?? [:]
        #expect(statuses.keys.sorted() == ["200"], "\(result)")
        #expect((result["normal_latency_max_seconds"] as? Double ?? 99) < 3, "\(result)")
        #expect(server.isAlive())
    }

    /// A head byte every half second: closed (408) at the 1.5 s head timeout, not the 20 s idle timeout.
    @Test func slowlorisIsClosedAtTheHeadTimeout() async throws {
        let server = try await SecurityServer.start("t-conn-slowloris", mapLines: Self.mapLines, preamble: Self.limits(head: 1500, idle: 20000))
        defer { server.stop() }
        let result = try ConnectionProbe.run(["slowloris", String(server.port), "0.5"])
        print("slowloris:", result)
        let closed = try #require(result["closed_after_seconds"] as? Double, "never closed: \(result)")
        #expect(closed >= 1.0 && closed < 6, "\(result)")
        #expect((result["answer"] as? String)?.hasPrefix("HTTP/1.1 408") == true, "\(result)")
        #expect(server.isAlive())
    }

    /// A connection that sends nothing is closed at the head timeout; one kept alive after a
    /// request at the idle timeout, on the public and on the admin listener alike (the admin
    /// listener used to keep idle connections for ever).
    @Test func idleConnectionsAreClosedOnBothListeners() async throws {
        let server = try await SecurityServer.start("t-conn-idle", mapLines: Self.mapLines, preamble: Self.limits(head: 1000, idle: 3000), admin: true)
        defer { server.stop() }
        let request = "GET /health HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\n\\r\\n"
        let adminRequest = "GET /admin/health HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nAuthorization: Bearer \(SecurityServer.adminToken)\\r\\n\\r\\n"
        for (port, label, request) in [(server.port, "public", request), (server.adminPort ?? 0, "admin", adminRequest)] {
            let silent = try ConnectionProbe.run(["idle", String(port), ""])
            let silentClosed = try #require(silent["closed_after_seconds"] as? Double, "\(label): a silent connection stayed open: \(silent)")
            #expect(silentClosed >= 0.7 && silentClosed < 2.5, "\(label): \(silent)")
            let idle = try ConnectionProbe.run(["idle", String(port), request])
            print("\(label) idle:", silent, idle)
            #expect((idle["answer"] as? String)?.hasPrefix("HTTP/1.1 200") == true, "\(label): \(idle)")
            let idleClosed = try #require(idle["closed_after_seconds"] as? Double, "\(label): an idle connection stayed open: \(idle)")
            #expect(idleClosed >= 2.5 && idleClosed < 6, "\(label): kept-alive connections get the idle timeout, not the head timeout: \(idle)")
        }
    }

    /// HTTP/1.0 without `Connection: keep-alive` is closed right after its response; with it, kept.
    @Test func http10IsClosedAfterItsResponse() async throws {
        let server = try await SecurityServer.start("t-conn-http10", mapLines: Self.mapLines, preamble: Self.limits(head: 5000, idle: 20000))
        defer { server.stop() }
        let plain = try ConnectionProbe.run(["http10", String(server.port), "plain"])
        print("HTTP/1.0:", plain)
        let head = plain["head"] as? String ?? ""
        #expect(head.hasPrefix("HTTP/1.1 200"), "\(plain)")
        #expect(head.lowercased().contains("connection: close"), "\(plain)")
        #expect((plain["closed_after_seconds"] as? Double ?? 99) < 1, "\(plain)")
        let kept = try ConnectionProbe.run(["http10", String(server.port), "keep-alive"])
        #expect((kept["head"] as? String)?.hasPrefix("HTTP/1.1 200") == true, "\(kept)")
        #expect(kept["closed_after_seconds"] is NSNull, "\(kept)")
    }

    /// A cap the open-file limit cannot carry stops the start with a message saying what to do.
    @Test func capAboveTheOpenFileLimitIsRefusedAtStart() throws {
        let folder = CommandLineTests.temporary("t-conn-cap")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let config = folder + "/cairn.yaml"
        try ("listen: {host: 127.0.0.1, port: \(try InteropServer.freePort())}\ncache: {directory: cache}\nlimits:\n  max_connections: 5000\nmaps:\n" + Self.mapLines)
            .write(toFile: config, atomically: true, encoding: .utf8)
        let run = try CairnProcess.run("/usr/bin/prlimit", ["--nofile=1024:1024", CairnProcess.binary, "serve", "--config", config])
        #expect(run.status != 0)
        #expect(run.output.contains("limits.max_connections is 5000, but the open-file limit (RLIMIT_NOFILE) is 1024"), "\(run.output)")
    }
}
