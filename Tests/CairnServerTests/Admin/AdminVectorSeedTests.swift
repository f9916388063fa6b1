@testable import CairnJobs
import CairnCore
import CairnEngine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CairnServer

/// Seed jobs and purges of vector tiles over the admin API.
struct AdminVectorSeedTests {
    @Test func aPbfSeedJobFillsTheVectorCacheAndPurgeEmptiesIt() async throws {
        let engine = ServerFixtures.engine()
        let jobs = AdminFixtures.jobs(engine)
        let tile = TileCoordinate(z: 12, x: 3261, y: 1805)
        try await AdminFixtures.application(engine, jobs).test(.router) { client in
            let id = try await AdminFixtures.startSeed(client, #"{"map": "mini", "zooms": "11-12", "format": "pbf"}"#)
            let status = try await AdminFixtures.poll(client, id)
            #expect(status.state == .succeeded, "\(status.error ?? "")")
            #expect(status.progress.total > 0)
            #expect(status.progress.rendered == status.progress.total)

            // The server's own path answers from what the job stored.
            let encodes = engine.vectorEncodeCount
            let served = try await engine.vectorTile(map: "mini", tile, admission: .unlimited)
            #expect(served.cacheHit)
            #expect(engine.vectorEncodeCount == encodes)

            // A PNG-only purge leaves the vector tiles; a pbf purge deletes them all.
            try await client.execute(uri: "/admin/purge", method: .post, headers: AdminFixtures.authorization,
                                     body: AdminFixtures.body(#"{"map": "mini", "format": "png"}"#)) { response in
                #expect(response.status == .ok)
            }
            #expect(try await engine.vectorTile(map: "mini", tile, admission: .unlimited).cacheHit)
            try await client.execute(uri: "/admin/purge", method: .post, headers: AdminFixtures.authorization,
                                     body: AdminFixtures.body(#"{"map": "mini", "format": ["pbf"], "scale": 2}"#)) { response in
                #expect(response.status == .ok)
                let result = try AdminFixtures.decode(ExpireResult.self, response)
                #expect(result.tiles == status.progress.total)
            }
            #expect(try await engine.vectorTile(map: "mini", tile, admission: .unlimited).cacheHit == false)
        }
        try await engine.shutdown()
    }

    @Test func aBadFormatIsRefusedWithoutEchoingIt() throws {
        #expect(try SeedJobBody.parse(Data(#"{"map": "mini", "zooms": 3, "format": "pbf"}"#.utf8)).request.format == .pbf)
        #expect(try SeedJobBody.parse(Data(#"{"map": "mini", "zooms": 3}"#.utf8)).request.format == .png)
        #expect(try PurgeBody.parse(Data(#"{"map": "mini", "format": ["png", "pbf"]}"#.utf8)).formats == [.png, .pbf])
        for body in [#"{"map": "mini", "zooms": 3, "format": "<jpeg>"}"#, #"{"map": "mini", "zooms": 3, "format": ["pbf"]}"#] {
            do {
                _ = try SeedJobBody.parse(Data(body.utf8))
                Issue.record("accepted \(body)")
            } catch let error as EngineError {
                #expect(error.code == .badRequest)
                #expect(!error.message.contains("jpeg"))
            }
        }
        #expect(throws: EngineError.self) { try PurgeBody.parse(Data(#"{"map": "mini", "format": "gif"}"#.utf8)) }
    }
}
