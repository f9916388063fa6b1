@testable import CairnConfiguration
@testable import CairnJobs
import CairnEngine
import CairnTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import CairnServer

/// `POST /admin/seed` for the world at z0–20 (1.5 × 10¹² tiles): refused at once above
/// `limits.max_seed_tiles`; with the limit raised, a job listed and cancellable at once,
/// whose tiles are never held in memory.
struct AdminSeedLimitTests {
    static let world = #"{"map": "mini", "zooms": "0-20", "bbox": [-180, -85, 180, 85]}"#

    static func engine(maxSeedTiles: Int? = nil) -> TileEngine {
        var configuration = CairnConfiguration(
            cacheDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("cairn-server-\(UUID().uuidString)").path,
            maps: [MapConfiguration(name: "mini", stylePath: ServerFixtures.miniStyle, title: "Mini")])
        if let maxSeedTiles { configuration.limits.maxSeedTiles = maxSeedTiles }
        return TileEngine(configuration: configuration, logger: AdminFixtures.logger(), renderThreads: 2)
    }

    @Test func aWorldSeedOverTheLimitIsRefusedAtOnceWithTheCount() async throws {
        let engine = Self.engine()
        let jobs = AdminFixtures.jobs(engine)
        try await AdminFixtures.application(engine, jobs).test(.router) { client in
            let start = ContinuousClock.now
            try await client.execute(uri: "/admin/seed", method: .post, headers: AdminFixtures.authorization, body: AdminFixtures.body(Self.world)) { response in
                let elapsed = ContinuousClock.now - start
                print("POST /admin/seed world z0-20 over the limit answered \(response.status.code) in \(elapsed)")
                #expect(response.status == .contentTooLarge)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                #expect(response.headers[.cacheControl] == "no-store")
                let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                let tiles = try #require(json["tiles"] as? Int)
                #expect(tiles > 1_000_000_000_000)
                #expect(json["limit"] as? Int == 10_000_000)
                #expect(json["code"] as? String == "too_many_tiles")
                let message = try #require(json["error"] as? String)
                #expect(message.contains("\(tiles)") && message.contains("limits.max_seed_tiles (10000000)"), "\(message)")
                #expect(elapsed < .seconds(10), "generous: it is counted, not listed")
            }
            #expect(await jobs.jobs().isEmpty)
            // Below the limit the same map seeds as before.
            _ = try await AdminFixtures.startSeed(client, #"{"map": "mini", "zooms": "11"}"#)
        }
        try await engine.shutdown()
    }

    @Test func requestsOutsideTheMapAreRefusedWithTheField() async throws {
        let engine = Self.engine()
        try await AdminFixtures.application(engine, AdminFixtures.jobs(engine)).test(.router) { client in
            for body in [#"{"map": "mini", "zooms": "0-22"}"#, #"{"map": "mini", "zooms": "3", "bbox": [10, 10, 10, 20]}"#,
                         #"{"map": "mini", "zooms": "3", "bbox": [-200, 10, 10, 20]}"#] {
                try await client.execute(uri: "/admin/seed", method: .post, headers: AdminFixtures.authorization, body: AdminFixtures.body(body)) { response in
                    #expect(response.status == .badRequest, "\(body)")
                }
            }
        }
        try await engine.shutdown()
    }

    @Test func aWorldSeedWithTheLimitRaisedIsListedAndCancelledAtOnce() async throws {
        let engine = Self.engine(maxSeedTiles: 1 << 50)
        let jobs = AdminFixtures.jobs(engine)
        try await AdminFixtures.application(engine, jobs).test(.router) { client in
            ProcessMemory.resetPeak()
            let before = ProcessMemory.peakResidentBytes
            let start = ContinuousClock.now
            let id = try await AdminFixtures.startSeed(client, Self.world)
            print("POST /admin/seed world z0-20 with the limit raised answered in \(ContinuousClock.now - start)")
            try await client.execute(uri: "/admin/jobs", method: .get, headers: AdminFixtures.authorization) { response in
                struct List: Decodable { var jobs: [JobStatus] }
                let list = try AdminFixtures.decode(List.self, response)
                #expect(list.jobs.map(\.id) == [id])
                #expect((list.jobs.first?.progress.total ?? 0) > 1_000_000_000_000)
            }
            let running = try await AdminFixtures.poll(client, id, until: { $0.progress.done > 0 || $0.state.isFinished })
            #expect(running.state == .running)
            try await client.execute(uri: "/admin/jobs/\(id)", method: .delete, headers: AdminFixtures.authorization) { response in
                #expect(response.status == .ok)
            }
            let cancelled = try await AdminFixtures.poll(client, id)
            #expect(cancelled.state == .cancelled)
            if let before, let after = ProcessMemory.peakResidentBytes {
                print("world z0-20 job: ran, listed, cancelled; peak RSS grew \((after - before) / 1024) KiB (rendered \(cancelled.progress.rendered) tiles)")
                // The process's peak is shared with the tests running beside this one (the fast tier
                // is parallel), so the bound is loose; the exact figure is the interop tier's
                // `SeedPlanningProcessTests`, in a process of its own. Before, a world job grew
                // 400 MB/s until killed.
                #expect(after - before < 2 << 30, "before, it grew 400 MB/s until killed; other tests share the process")
            }
        }
        try await engine.shutdown()
    }
}
