@testable import CairnConfiguration
import CairnCore
import CairnEngine
@testable import CairnJobs
import CairnTestSupport
import Foundation
import Testing

/// An admin seed job whose cache disk fills up (a tmpfs mounted by the test) ends `failed`, with a
/// message saying so, never `succeeded`.
@Suite(.interop, .tmpfsMountable)
struct DiskFullJobTests {
    static let demoStyle = ServerFixtures.testsFolder.deletingLastPathComponent().appendingPathComponent("styles/hai-phong.json").path

    @Test func aSeedJobOnAFullDiskFails() async throws {
        let disk = try TmpfsMount(kibibytes: 1024)
        defer { disk.unmount() }
        let configuration = CairnConfiguration(cacheDirectory: disk.path, maps: [
            MapConfiguration(name: "demo", stylePath: Self.demoStyle, metatileSize: 2),
        ])
        let engine = TileEngine(configuration: configuration, logger: AdminFixtures.logger(), renderThreads: 2)
        let jobs = AdminFixtures.jobs(engine)
        // About 1 MiB of tiles (26 at z14-15), on a 1 MiB disk.
        let request = SeedRequest(zooms: 14...15, bbox: BoundingBox(minX: 106.66, minY: 20.84, maxX: 106.70, maxY: 20.87))
        let status = try await withThrowingTaskGroup(of: JobStatus?.self) { group in
            group.addTask { try await jobs.run(); return nil }
            let id = try await jobs.startSeed(map: "demo", request: request)
            var status: JobStatus?
            await Wait.until(timeout: .seconds(300), interval: .milliseconds(50)) {
                status = await jobs.job(id)
                return status?.state.isFinished ?? false
            }
            group.cancelAll()
            return status
        }
        try await engine.shutdown()
        let finished = try #require(status)
        #expect(finished.state == .failed, "\(finished)")
        #expect(finished.error?.contains("disk is full") == true, "\(finished.error ?? "no error")")
        #expect(finished.progress.failed > 0)
        #expect(finished.error?.contains(disk.path) == false, "a client-visible message names a path")
    }
}
