import Foundation
import Testing
import CairnTestSupport

/// T30: token buckets per client address (socket peer), requests and renders budgeted apart,
/// 429 with Retry-After, X-Forwarded-For believed only from trusted proxies.
@Suite(.interop)
struct RateLimitTests {
    static let mapLines = "  - name: mini\n    style: \(CommandLineTests.miniStyle)\n    metatile: 1\n"

    @Test func overTheRequestRateGets429WithRetryAfterWhateverXForwardedForSays() async throws {
        let server = try await SecurityServer.start("rate", mapLines: Self.mapLines, preamble: """
            limits:
              per_ip: {requests_per_second: 1, burst: 5, renders_per_second: 100, render_burst: 100}

            """, admin: true)
        defer { server.stop() }
        // Waiting for /health drew from the same bucket; let it fill again.
        try await Task.sleep(for: .seconds(5.5))
        var statuses: [Int] = []
        for _ in 0..<8 { statuses.append(try server.request("/health").status) }
        #expect(statuses.prefix(4).allSatisfy { $0 == 200 }, "\(statuses)")
        #expect(statuses.contains(429), "\(statuses)")
        let refused = try server.request("/maps/mini/0/0/0.png")
        #expect(refused.status == 429)
        #expect(Int(refused.header("Retry-After") ?? "") ?? 0 >= 1)
        #expect(refused.header("Cache-Control") == "no-store")
        // A client cannot pick a fresh bucket by claiming to be someone else.
        for spoof in ["10.1.2.3", "203.0.113.9, 10.0.0.1", "::1"] {
            #expect(try server.request("/health", headers: ["X-Forwarded-For: \(spoof)", "X-Real-IP: \(spoof)", "Forwarded: for=\(spoof)"]).status == 429)
        }
        #expect(try server.metrics()["cairn_rate_limited_total"] ?? 0 >= 4)
        // The bucket refills and the server is still alive: a tile is served again (each try while the bucket
        // is empty is refused without taking a token; the first one after the refill gets the tile).
        let alive = await Wait.until(timeout: .seconds(15), interval: .milliseconds(500)) { server.isAlive() }
        #expect(alive)
    }

    @Test func rendersHaveTheirOwnTighterBudgetAndCachedTilesStayServed() async throws {
        let server = try await SecurityServer.start("rate-render", mapLines: Self.mapLines, preamble: """
            limits:
              per_ip: {requests_per_second: 1000, burst: 1000, renders_per_second: 0.1, render_burst: 2}

            """, admin: true)
        defer { server.stop() }
        let first = try server.request("/maps/mini/13/6523/3610.png")
        #expect(first.status == 200 && first.header("X-Cairn-Cache") == "MISS")
        #expect(try server.request("/maps/mini/13/6524/3610.png").status == 200)
        let third = try server.request("/maps/mini/13/6525/3610.png")
        #expect(third.status == 429, "a third render within the render burst got \(third.status)")
        #expect(Int(third.header("Retry-After") ?? "") ?? 0 >= 1)
        for _ in 0..<20 {
            let hit = try server.request("/maps/mini/13/6523/3610.png")
            #expect(hit.status == 200 && hit.header("X-Cairn-Cache") == "HIT")
        }
        #expect(try server.metrics()["cairn_renders_total"] == 2)
    }

    @Test func forwardedForIsBelievedOnlyFromTrustedProxies() async throws {
        let server = try await SecurityServer.start("rate-proxy", mapLines: Self.mapLines, preamble: """
            limits:
              per_ip: {requests_per_second: 0.5, burst: 3}
              trusted_proxies: [127.0.0.1, 10.0.0.0/8]

            """)
        defer { server.stop() }
        let a = (0..<5).map { _ in (try? server.request("/health", headers: ["X-Forwarded-For: 198.51.100.7"]).status) ?? 0 }
        #expect(a.prefix(3).allSatisfy { $0 == 200 } && a.last == 429, "\(a)")
        // Another client behind the same proxy (and a proxy hop of ours) has its own bucket.
        #expect(try server.request("/health", headers: ["X-Forwarded-For: 198.51.100.8, 10.0.0.5"]).status == 200)
        // The spoofed left-most entry does not choose the bucket: the nearest untrusted hop does.
        #expect(try server.request("/health", headers: ["X-Forwarded-For: 1.1.1.1, 198.51.100.7"]).status == 429)
    }
}
