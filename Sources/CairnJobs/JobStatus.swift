import Foundation

/// Where a job is in its life: `queued` → `running` → one of the three final states.
public enum JobState: String, Sendable, Codable, CaseIterable {
    case queued, running, succeeded, failed, cancelled

    /// The job will not change any more.
    public var isFinished: Bool { self == .succeeded || self == .failed || self == .cancelled }
}

/// Tile counts of a job so far. `failed` counts failed metatiles, as seeding does.
public struct JobProgress: Sendable, Codable, Hashable {
    public var total: Int
    public var done: Int
    public var rendered: Int
    public var cached: Int
    public var failed: Int

    public init(total: Int = 0, done: Int = 0, rendered: Int = 0, cached: Int = 0, failed: Int = 0) {
        self.total = total
        self.done = done
        self.rendered = rendered
        self.cached = cached
        self.failed = failed
    }
}

/// A snapshot of one job, as the admin API shows it.
public struct JobStatus: Sendable, Codable, Hashable {
    public var id: JobID
    /// What the job does: "seed" (and later "expire").
    public var kind: String
    public var map: String
    public var state: JobState
    public var progress: JobProgress
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// Set once a cancel was asked for; the job stays `running` until its work has stopped.
    public var cancelRequested: Bool
    /// Why the job failed or was cancelled; safe to show to a client (no paths or secrets).
    public var error: String?

    private enum CodingKeys: String, CodingKey {
        case id, kind, map, state, progress, createdAt, startedAt, finishedAt, cancelRequested, error
    }

    /// Absent values are written as `null`, so every status has the same fields.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(kind, forKey: .kind)
        try container.encode(map, forKey: .map)
        try container.encode(state, forKey: .state)
        try container.encode(progress, forKey: .progress)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encode(cancelRequested, forKey: .cancelRequested)
        try container.encode(error, forKey: .error)
    }
}
