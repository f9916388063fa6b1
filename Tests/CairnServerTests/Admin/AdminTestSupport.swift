@testable import CairnJobs
import CairnEngine
import CairnServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

enum AdminFixtures {
    static let token = "test-admin-token-0123456789abcdef"
    static var authorization: HTTPFields { [.authorization: "Bearer \(token)"] }

    static func logger() -> Logger {
        var logger = Logger(label: "cairn-admin-test")
        logger.logLevel = .critical
        return logger
    }

    static func jobs(_ engine: TileEngine, maxConcurrentJobs: Int = 1) -> JobManager {
        JobManager(engine: engine, maxConcurrentJobs: maxConcurrentJobs, logger: logger())
    }

    static func application(_ engine: TileEngine, _ jobs: JobManager, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        buildAdminApplication(engine: engine, jobs: jobs, host: "127.0.0.1", port: 0, token: token,
                              connections: ServerFixtures.patientConnections(), logger: logger(), onServerRunning: onServerRunning)
    }

    static func body(_ json: String) -> ByteBuffer { ByteBuffer(string: json) }

    static func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(buffer: response.body))
    }

    /// Starts a seed job through the API and returns its id.
    static func startSeed(_ client: some TestClientProtocol, _ json: String) async throws -> JobID {
        try await client.execute(uri: "/admin/seed", method: .post, headers: authorization, body: body(json)) { response in
            #expect(response.status == .accepted, "\(String(buffer: response.body))")
            let status = try decode(JobStatus.self, response)
            #expect(response.headers[.location] == "/admin/jobs/\(status.id)")
            return status.id
        }
    }

    static func status(_ client: some TestClientProtocol, _ id: JobID) async throws -> JobStatus {
        try await client.execute(uri: "/admin/jobs/\(id)", method: .get, headers: authorization) { response in
            #expect(response.status == .ok)
            return try decode(JobStatus.self, response)
        }
    }

    /// Polls the job until `done(status)` or the time is up; returns the last status.
    static func poll(_ client: some TestClientProtocol, _ id: JobID, seconds: Double = 60,
                     until done: (JobStatus) -> Bool = { $0.state.isFinished }) async throws -> JobStatus {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        var status = try await self.status(client, id)
        while !done(status), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
            status = try await self.status(client, id)
        }
        return status
    }
}
