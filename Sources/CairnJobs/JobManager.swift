import CairnEngine
import Foundation
import Logging
import ServiceLifecycle

/// The work of one job: any async closure that reports its progress. It should stop soon
/// after its task is cancelled (by throwing `CancellationError` or returning).
public typealias JobWork = @Sendable (JobReporter) async throws -> Void

/// Runs long engine work (seeding; later expiry) in the background for the admin API.
///
/// Jobs run as child tasks of `run()`, at most `maxConcurrentJobs` at a time; the others wait
/// in a queue in the order they were started. Nothing runs until `run()` is running (as a
/// `Service` in the server's `ServiceGroup`, or in a task of its own); when `run()` ends,
/// running jobs are cancelled and queued ones are dropped.
public actor JobManager: Service {
    public nonisolated let engine: TileEngine
    public nonisolated let maxConcurrentJobs: Int
    /// More queued jobs than this are refused (`EngineError.overloaded`).
    public nonisolated let maxQueuedJobs: Int
    /// Finished jobs kept for status requests; the oldest are forgotten first.
    public nonisolated let retainedFinishedJobs: Int
    let logger: Logger

    private struct Record {
        var status: JobStatus
        let reporter: JobReporter
        /// Set until the job starts.
        var work: JobWork?
        /// Finishing it asks the running job to stop.
        let cancelSignal: AsyncStream<Void>.Continuation
        let cancelStream: AsyncStream<Void>
    }

    private var records: [JobID: Record] = [:]
    /// Job ids in the order they were created.
    private var order: [JobID] = []
    private var queue: [JobID] = []
    private var runningCount = 0
    private var hasStarted = false
    private var hasStopped = false
    private let wakeups: AsyncStream<Void>
    private let wakeup: AsyncStream<Void>.Continuation

    public init(engine: TileEngine, maxConcurrentJobs: Int = 1, maxQueuedJobs: Int = 100, retainedFinishedJobs: Int = 100,
                logger: Logger = Logger(label: "cairn.jobs")) {
        self.engine = engine
        self.maxConcurrentJobs = max(1, maxConcurrentJobs)
        self.maxQueuedJobs = max(0, maxQueuedJobs)
        self.retainedFinishedJobs = max(0, retainedFinishedJobs)
        self.logger = logger
        // Wake-ups only say "look at the queue again", so one pending wake-up is enough.
        (wakeups, wakeup) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues `work` as a new job and returns its id. This is the one entry point every kind
    /// of job goes through; `startSeed` checks its request and then calls it.
    /// - Parameter progress: what the job shows until its work first reports (e.g. its total).
    /// - Throws: `EngineError` `.overloaded` when the queue is full or the manager has stopped.
    public func start(kind: String, map: String, progress: JobProgress = JobProgress(), work: @escaping JobWork) throws -> JobID {
        guard !hasStopped else { throw EngineError(.overloaded, "the server is shutting down; no new jobs are accepted") }
        guard queue.count < maxQueuedJobs else {
            throw EngineError(.overloaded, "\(queue.count) jobs are already queued; try again later")
        }
        let id = JobID()
        let (cancelStream, cancelSignal) = AsyncStream.makeStream(of: Void.self)
        let status = JobStatus(id: id, kind: kind, map: map, state: .queued, progress: progress, createdAt: Date(),
                               startedAt: nil, finishedAt: nil, cancelRequested: false, error: nil)
        let reporter = JobReporter(box: ProgressBox())
        reporter.report(progress)
        records[id] = Record(status: status, reporter: reporter, work: work,
                             cancelSignal: cancelSignal, cancelStream: cancelStream)
        order.append(id)
        queue.append(id)
        logger.info("job queued", metadata: ["job": "\(id)", "kind": "\(kind)", "map": "\(map)"])
        wakeup.yield()
        return id
    }

    /// The current status of a job, or `nil` for ids never issued or already forgotten.
    public func job(_ id: JobID) -> JobStatus? {
        records[id].map(Self.snapshot)
    }

    /// Every remembered job, oldest first.
    public func jobs() -> [JobStatus] {
        order.compactMap { records[$0].map(Self.snapshot) }
    }

    /// How many jobs wait and how many run.
    public func counts() -> (queued: Int, running: Int) { (queue.count, runningCount) }

    /// Cancels a job: a queued job is cancelled at once; a running one is asked to stop and is
    /// `cancelled` once its work has stopped. - Returns: false for unknown and finished jobs.
    @discardableResult
    public func cancel(_ id: JobID) -> Bool {
        guard var record = records[id], !record.status.state.isFinished else { return false }
        record.status.cancelRequested = true
        if record.status.state == .queued {
            queue.removeAll { $0 == id }
            record.work = nil
            record.status.state = .cancelled
            record.status.finishedAt = Date()
            record.status.error = "cancelled before it started"
            records[id] = record
            forgetOldFinishedJobs()
        } else {
            records[id] = record
            record.cancelSignal.finish()
        }
        logger.info("job cancelled", metadata: ["job": "\(id)"])
        return true
    }

    /// Starts queued jobs as slots free up, until a graceful shutdown or cancellation; then
    /// cancels the running jobs, waits for them and drops the queue.
    public func run() async throws {
        guard !hasStarted else { throw EngineError(.invalidConfiguration, "JobManager.run() may only be called once") }
        hasStarted = true
        let wakeups = self.wakeups
        let wakeup = self.wakeup
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await _ in wakeups {
                    while runningCount < maxConcurrentJobs, let (id, job) = nextJob() {
                        group.addTask { await self.finish(id, Self.perform(job)) }
                    }
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            wakeup.finish()
        }
        hasStopped = true
        for id in queue {
            records[id]?.work = nil
            records[id]?.status.state = .cancelled
            records[id]?.status.finishedAt = Date()
            records[id]?.status.error = "the server shut down before the job started"
        }
        queue.removeAll()
    }

    private struct StartedJob: Sendable {
        let work: JobWork
        let reporter: JobReporter
        let cancelStream: AsyncStream<Void>
    }

    private func nextJob() -> (JobID, StartedJob)? {
        while !queue.isEmpty {
            let id = queue.removeFirst()
            guard var record = records[id], let work = record.work else { continue }
            record.work = nil
            record.status.state = .running
            record.status.startedAt = Date()
            records[id] = record
            runningCount += 1
            logger.info("job started", metadata: ["job": "\(id)", "kind": "\(record.status.kind)", "map": "\(record.status.map)"])
            return (id, StartedJob(work: work, reporter: record.reporter, cancelStream: record.cancelStream))
        }
        return nil
    }

    /// Runs the work beside a watcher of the job's cancel signal; whichever ends first
    /// cancels the other, so a cancel request cancels exactly this job's task.
    private static func perform(_ job: StartedJob) async -> Result<Void, any Error> {
        await withTaskGroup(of: Result<Void, any Error>?.self) { group in
            group.addTask {
                do {
                    try await job.work(job.reporter)
                    return .success(())
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                for await _ in job.cancelStream {}
                return nil
            }
            var outcome: Result<Void, any Error>?
            while let next = await group.next() {
                if let next { outcome = next }
                group.cancelAll()
            }
            return outcome ?? .failure(CancellationError())
        }
    }

    private func finish(_ id: JobID, _ outcome: Result<Void, any Error>) {
        runningCount -= 1
        wakeup.yield()
        guard var record = records[id] else { return }
        record.cancelSignal.finish()
        record.status.finishedAt = Date()
        switch outcome {
        case .success:
            record.status.state = .succeeded
        case .failure(let error) where error is CancellationError || record.status.cancelRequested:
            record.status.state = .cancelled
            record.status.error = record.status.cancelRequested ? "cancelled by request" : "cancelled because the server is shutting down"
        case .failure(let error):
            record.status.state = .failed
            switch error {
            case let error as JobFailure: record.status.error = error.message
            case let error as EngineError: record.status.error = error.message
            default: record.status.error = "internal error; see the server log"
            }
            logger.error("job failed", metadata: ["job": "\(id)", "error": "\(error)"])
        }
        record.status.progress = record.reporter.latest
        records[id] = record
        logger.info("job finished", metadata: ["job": "\(id)", "state": "\(record.status.state.rawValue)"])
        forgetOldFinishedJobs()
    }

    private func forgetOldFinishedJobs() {
        let finished = order.filter { records[$0]?.status.state.isFinished ?? true }
        guard finished.count > retainedFinishedJobs else { return }
        let forgotten = Set(finished.prefix(finished.count - retainedFinishedJobs))
        for id in forgotten { records[id] = nil }
        order.removeAll { forgotten.contains($0) }
    }

    private static func snapshot(_ record: Record) -> JobStatus {
        var status = record.status
        if status.state == .running { status.progress = record.reporter.latest }
        return status
    }
}
