@testable import CairnJobs
import CairnEngine
import Foundation
import Testing

/// The job manager with plain closures as jobs: queueing, the concurrency limit, cancellation, failures.
struct JobManagerTests {
    /// Runs `body` while the manager's `run()` runs, then stops it.
    func withRunningManager(_ jobs: JobManager, _ body: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await jobs.run() }
            try await body()
            group.cancelAll()
        }
    }

    func waitUntil(_ jobs: JobManager, _ id: JobID, _ done: (JobStatus) -> Bool) async throws -> JobStatus {
        for _ in 0..<2000 {
            if let status = await jobs.job(id), done(status) { return status }
            try await Task.sleep(for: .milliseconds(5))
        }
        return try #require(await jobs.job(id))
    }

    @Test func runsAtMostNJobsAtOnceInOrder() async throws {
        let engine = ServerFixtures.engine()
        let jobs = AdminFixtures.jobs(engine, maxConcurrentJobs: 2)
        try await withRunningManager(jobs) {
            let sleeper: JobWork = { reporter in
                reporter.report(JobProgress(total: 1))
                try await Task.sleep(for: .seconds(60))
            }
            let ids = try await (0..<3).asyncMap { _ in try await jobs.start(kind: "test", map: "mini", work: sleeper) }
            _ = try await waitUntil(jobs, ids[1]) { $0.state == .running }
            #expect(await jobs.job(ids[0])?.state == .running)
            #expect(await jobs.job(ids[2])?.state == .queued)
            #expect(await jobs.counts() == (queued: 1, running: 2))
            #expect(try await waitUntil(jobs, ids[0]) { $0.progress.total == 1 }.progress.total == 1)

            #expect(await jobs.cancel(ids[0]))
            let cancelled = try await waitUntil(jobs, ids[0]) { $0.state.isFinished }
            #expect(cancelled.state == .cancelled)
            _ = try await waitUntil(jobs, ids[2]) { $0.state == .running }
            #expect(await jobs.jobs().map(\.id) == ids)
            #expect(await !jobs.cancel(ids[0]))
            #expect(await !jobs.cancel(JobID()))
        }
        try await engine.shutdown()
    }

    @Test func failuresKeepOnlySafeMessages() async throws {
        let engine = ServerFixtures.engine()
        let jobs = AdminFixtures.jobs(engine)
        try await withRunningManager(jobs) {
            let safe = try await jobs.start(kind: "test", map: "mini") { _ in throw JobFailure("2 metatile(s) failed") }
            let unsafe = try await jobs.start(kind: "test", map: "mini") { _ in throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "/secret/path"]) }
            let ok = try await jobs.start(kind: "test", map: "mini") { reporter in reporter.report(JobProgress(total: 3, done: 3, rendered: 3)) }
            #expect(try await waitUntil(jobs, safe) { $0.state.isFinished }.error == "2 metatile(s) failed")
            let failed = try await waitUntil(jobs, unsafe) { $0.state.isFinished }
            #expect(failed.state == .failed)
            #expect(failed.error?.contains("/secret") == false)
            let succeeded = try await waitUntil(jobs, ok) { $0.state.isFinished }
            #expect(succeeded.state == .succeeded)
            #expect(succeeded.progress == JobProgress(total: 3, done: 3, rendered: 3))
        }
        try await engine.shutdown()
    }

    @Test func stoppingCancelsRunningAndQueuedJobs() async throws {
        let engine = ServerFixtures.engine()
        let jobs = AdminFixtures.jobs(engine)
        var ids: [JobID] = []
        try await withRunningManager(jobs) {
            for _ in 0..<2 { ids.append(try await jobs.start(kind: "test", map: "mini") { _ in try await Task.sleep(for: .seconds(60)) }) }
            _ = try await waitUntil(jobs, ids[0]) { $0.state == .running }
        }
        #expect(await jobs.job(ids[0])?.state == .cancelled)
        #expect(await jobs.job(ids[1])?.state == .cancelled)
        await #expect(throws: EngineError.self) { try await jobs.start(kind: "test", map: "mini") { _ in } }
        try await engine.shutdown()
    }

    @Test func jobIDsAreRandomAndChecked() {
        let id = JobID()
        #expect(JobID(id.rawValue) == id)
        #expect(JobID(id.rawValue.uppercased()) == id)
        #expect(JobID() != id)
        #expect(JobID("not-a-job") == nil)
        #expect(JobID("../" + id.rawValue) == nil)
    }
}

extension Range where Bound == Int {
    func asyncMap<T>(_ transform: (Int) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for i in self { out.append(try await transform(i)) }
        return out
    }
}
