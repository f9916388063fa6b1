@testable import CairnConfiguration
import CairnCore
import CairnEngine
import Foundation
import NIOCore
import Testing
@testable import CairnServer

/// Token buckets: a burst, then refusals with a wait until the next token; buckets per client.
struct TokenBucketTests {
    @Test func burstThenRefusalWithTheWaitForTheNextToken() {
        let buckets = TokenBuckets()
        let start = ContinuousClock.now
        for _ in 0..<3 { #expect(buckets.take("a", rate: 2, burst: 3, now: start) == nil) }
        let wait = buckets.take("a", rate: 2, burst: 3, now: start)
        #expect(wait == .milliseconds(500))
        #expect(buckets.take("b", rate: 2, burst: 3, now: start) == nil, "another client has its own bucket")
        #expect(buckets.take("a", rate: 2, burst: 3, now: start + .milliseconds(500)) == nil, "refilled at the rate")
        #expect(buckets.take("a", rate: 0, burst: 0, now: start) == nil, "rate 0 switches the bucket off")
    }

    @Test func idleBucketsAreSweptSoMemoryStaysBounded() {
        let buckets = TokenBuckets(sweepThreshold: 100)
        let start = ContinuousClock.now
        for client in 0..<100 { _ = buckets.take("c\(client)", rate: 10, burst: 5, now: start) }
        _ = buckets.take("late", rate: 10, burst: 5, now: start + .seconds(10))
        #expect(buckets.count <= 2)
    }
}

/// The client address: the socket peer unless it is a trusted proxy.
struct ClientAddressTests {
    let peer = try! SocketAddress(ipAddress: "127.0.0.1", port: 4000)

    @Test func forwardedForIsIgnoredFromUntrustedPeers() {
        #expect(ClientAddress.resolve(peer: peer, forwardedFor: "1.2.3.4", trusted: TrustedProxies([])) == "127.0.0.1")
        #expect(ClientAddress.resolve(peer: peer, forwardedFor: "1.2.3.4", trusted: TrustedProxies(["10.0.0.0/8"])) == "127.0.0.1")
    }

    @Test func theNearestUntrustedHopCountsBehindTrustedProxies() {
        let trusted = TrustedProxies(["127.0.0.1", "10.0.0.0/8"])
        #expect(ClientAddress.resolve(peer: peer, forwardedFor: "9.9.9.9, 1.2.3.4, 10.1.1.1", trusted: trusted) == "1.2.3.4")
        #expect(ClientAddress.resolve(peer: peer, forwardedFor: "garbage", trusted: trusted) == "127.0.0.1")
        #expect(ClientAddress.resolve(peer: peer, forwardedFor: nil, trusted: trusted) == "127.0.0.1")
        #expect(TrustedProxies(["::1"]).contains("0:0::1"))
        #expect(!TrustedProxies.isValidEntry("10.0.0.0/33") && !TrustedProxies.isValidEntry("example.org"))
    }
}

/// Percent-encoding and UTF-8 checks of request targets.
struct RequestEncodingTests {
    typealias Limits = RequestLimitsMiddleware<CairnRequestContext>

    @Test func wellFormedTargetsPass() {
        for text in ["/maps/hai-phong/0/0/0.png", "/maps/x%2Fy", "f=html&x=%C3%A1", "%E2%82%AC"] {
            #expect(Limits.isWellEncoded(Array(text.utf8)), "\(text)")
        }
    }

    @Test func brokenEncodingsFail() {
        for text in ["%4", "%ZZ", "%", "%C0%AE", "%ED%A0%80", "%00", "a%0Ab", "%FF", "%E2%82"] {
            #expect(!Limits.isWellEncoded(Array(text.utf8)), "\(text)")
        }
    }
}

/// The `limits:` section of the configuration.
struct LimitsConfigurationTests {
    @Test func valuesAreReadAndDefaultsKept() throws {
        let yaml = """
            limits:
              per_ip: {requests_per_second: 5, burst: 10}
              trusted_proxies: [10.0.0.0/8, "::1"]
              render_timeout_ms: 500
              render_queue: 8
            maps:
              - name: mini
                style: \(ServerFixtures.miniStyle)
            """
        let configuration = try CairnConfiguration.parse(yaml: yaml, path: "/tmp/cairn.yaml")
        #expect(configuration.limits.perIP.requestsPerSecond == 5)
        #expect(configuration.limits.perIP.rendersPerSecond == LimitsConfiguration().perIP.rendersPerSecond)
        #expect(configuration.limits.trustedProxies == ["10.0.0.0/8", "::1"])
        #expect(configuration.limits.renderTimeoutMilliseconds == 500)
        #expect(configuration.limits.renderQueue == 8)
        #expect(configuration.limits.maxHeaders == LimitsConfiguration().maxHeaders)
    }

    @Test func badValuesNameTheirLineAndKey() {
        let yaml = """
            limits:
              per_ip: {requests_per_second: fast}
              render_queue: 0
              trusted_proxies: [example.org]
              colour: blue
            maps:
              - name: mini
                style: \(ServerFixtures.miniStyle)
            """
        #expect {
            try CairnConfiguration.parse(yaml: yaml, path: "/tmp/cairn.yaml")
        } throws: { error in
            let text = String(describing: error)
            return text.contains("cairn.yaml:2: limits.per_ip.requests_per_second: expected a number")
                && text.contains("limits.render_queue: expected an integer from 1")
                && text.contains("limits.trusted_proxies: expected a list of IP addresses")
                && text.contains("limits.colour: unknown key")
        }
    }
}

/// The renderer stops at its budget.
struct RenderBudgetUnitTests {
    @Test func overTheVertexFeatureOrTimeBudgetTheRenderThrows() async throws {
        let engine = ServerFixtures.engine()
        let map = try await engine.map(named: "mini")
        let metatile = Metatile(containing: TileCoordinate(z: 13, x: 6523, y: 3610), size: 2, in: map.grid)
        for budget in [RenderBudget(maxVertices: 3), RenderBudget(maxFeatures: 1), RenderBudget(timeout: .nanoseconds(1))] {
            #expect(throws: RenderBudgetExceeded.self) { try MapRenderer.render(map, metatile: metatile, scale: 1, budget: budget) }
        }
        #expect(try MapRenderer.render(map, metatile: metatile, scale: 1, budget: RenderBudget(timeout: .seconds(60))).count == 4)
        try await engine.shutdown()
    }
}
