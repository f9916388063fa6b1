import Foundation
import Testing
import CairnTestSupport

/// T6, T24, T27: a pathological layer cannot hold the server. Over its vertex or time budget a
/// render stops with 503 + Retry-After + no-store, nothing is cached, the server keeps serving;
/// past the render queue cap cold requests get a fast 503.
@Suite(.interop)
struct RenderBudgetTests {
    static func mapLines(_ maps: [(String, String)]) -> String {
        maps.map { "  - name: \($0.0)\n    style: \($0.1)\n    metatile: 2\n" }.joined()
    }

    @Test func aMillionVertexPolygonGets503NoStoreAndTheServerStaysUp() async throws {
        let folder = CommandLineTests.temporary("budget-data")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try PathologicalData.writeStars(to: folder + "/huge.geojson", features: 1, vertices: 1_200_000)
        let style = try PathologicalData.writeStyle(folder: folder, geojson: "huge.geojson")
        let server = try await SecurityServer.start("budget", mapLines: Self.mapLines([("mini", CommandLineTests.miniStyle), ("huge", style)]), preamble: """
            limits:
              per_ip: {requests_per_second: 0, renders_per_second: 0}
              render_max_vertices: 200000

            """, admin: true)
        defer { server.stop() }
        for attempt in 0..<2 {
            let started = ContinuousClock.now
            let reply = try server.request("/maps/huge/13/6523/3610.png")
            #expect(reply.status == 503, "attempt \(attempt): \(reply.status)")
            #expect(ContinuousClock.now - started < .seconds(3))
            #expect(reply.header("Cache-Control") == "no-store")
            #expect(Int(reply.header("Retry-After") ?? "") ?? 0 >= 1)
            #expect(reply.header("X-Cairn-Cache") == nil)
            #expect(!reply.body.starts(with: [0x89, 0x50]))
            #expect(server.isAlive())
        }
        #expect(try server.metrics()["cairn_render_budget_exceeded_total"] == 2, "nothing cached: the second request rendered again")
        // The same map away from the polygon still renders.
        #expect(try server.request("/maps/huge/13/6400/3610.png").status == 200)
        #expect(server.isAlive())
    }

    @Test func aRenderOverItsTimeBudgetStopsBetweenFeatures() async throws {
        let folder = CommandLineTests.temporary("deadline-data")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try PathologicalData.writeStars(to: folder + "/many.geojson", features: 400, vertices: 2_000)
        let style = try PathologicalData.writeStyle(folder: folder, geojson: "many.geojson")
        let server = try await SecurityServer.start("deadline", mapLines: Self.mapLines([("mini", CommandLineTests.miniStyle), ("many", style)]), preamble: """
            limits:
              per_ip: {requests_per_second: 0, renders_per_second: 0}
              render_timeout_ms: 100

            """, admin: true)
        defer { server.stop() }
        let started = ContinuousClock.now
        let reply = try server.request("/maps/many/13/6523/3610.png")
        #expect(reply.status == 503)
        #expect(reply.header("Cache-Control") == "no-store")
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(try server.metrics()["cairn_render_budget_exceeded_total"] ?? 0 >= 1)
        #expect(server.isAlive())
    }

    @Test func pastTheRenderQueueCapColdRequestsGetA503AtOnce() async throws {
        let folder = CommandLineTests.temporary("queue-data")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try PathologicalData.writeStars(to: folder + "/many.geojson", features: 400, vertices: 2_000)
        let style = try PathologicalData.writeStyle(folder: folder, geojson: "many.geojson")
        // Renders take long enough (no tight budget) that ten requests overlap even on a loaded machine.
        let server = try await SecurityServer.start("queue", mapLines: Self.mapLines([("mini", CommandLineTests.miniStyle), ("many", style)]), preamble: """
            limits:
              per_ip: {requests_per_second: 0, renders_per_second: 0}
              render_timeout_ms: 5000
              render_queue: 1

            """, admin: true)
        defer { server.stop() }
        // Ten cold metatiles inside the polygons at once, with room for one render: the rest are refused.
        let statuses = await withTaskGroup(of: Int.self) { group in
            for column in 0..<10 {
                group.addTask { (try? server.request("/maps/many/16/\(52178 + 2 * column)/28882.png").status) ?? 0 }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.allSatisfy { $0 == 503 || $0 == 200 }, "\(statuses)")
        #expect(try server.metrics()["cairn_render_queue_rejections_total"] ?? 0 >= 1, "\(statuses)")
        // The admitted render goes on behind its early answer until its metatile is stored.
        #expect(await Wait.until(timeout: .seconds(60), interval: .milliseconds(50)) { (try? server.metrics()["cairn_render_queue_depth"]) == 0 })
        #expect(server.isAlive())

        // T28: clients that hang up mid-render leak no queue slot.
        for row in 0..<20 {
            _ = try? runProgram("/usr/bin/curl", ["-s", "-o", "/dev/null", "--max-time", "0.2", server.base + "/maps/many/16/52180/\(28870 + row).png"])
        }
        var depth = -1.0
        try await Wait.until(timeout: .seconds(15), interval: .milliseconds(100)) {
            depth = try server.metrics()["cairn_render_queue_depth"] ?? -1
            return depth == 0
        }
        #expect(depth == 0, "a render queue slot leaked")
        #expect(server.isAlive())
    }
}
