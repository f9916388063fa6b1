@testable import CairnJobs
import CairnEngine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CairnServer

/// Seed jobs started, watched and cancelled over the admin API.
struct AdminSeedJobTests {
    @Test func seedJobRunsToTheEndAndFillsTheCache() async throws {
        let engine = ServerFixtures.engine()
        let jobs = AdminFixtures.jobs(engine)
        try await AdminFixtures.application(engine, jobs).test(.router) { client in
            let body = AdminFixtures.body(#"{"map": "mini", "zooms": "11-12"}"#)
            let id = try await client.execute(uri: "/admin/seed", method: .post, headers: AdminFixtures.authorization, body: body) { response in
                #expect(response.status == .accepted)
                #expect(response.headers[.cacheControl] == "no-store")
                let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect(Set(json.keys) == ["id", "kind", "map", "state", "progress", "createdAt", "startedAt", "finishedAt", "cancelRequested", "error"])
                #expect(json["finishedAt"] is NSNull)
                let status = try AdminFixtures.decode(JobStatus.self, response)
                #expect(status.progress.total > 0, "the total is known before the job starts")
                #expect(response.headers[.location] == "/admin/jobs/\(status.id)")
                return status.id
            }
            let status = try await AdminFixtures.poll(client, id)
            #expect(status.state == .succeeded)
            #expect(status.kind == "seed")
            #expect(status.map == "mini")
            #expect(status.error == nil)
            #expect(status.progress.total > 0)
            #expect(status.progress.done == status.progress.total)
            #expect(status.progress.rendered + status.progress.cached == status.progress.done)
            #expect(status.progress.failed == 0)
            let started = try #require(status.startedAt)
            let finished = try #require(status.finishedAt)
            #expect(started <= finished)

            try await client.execute(uri: "/admin/jobs", method: .get, headers: AdminFixtures.authorization) { response in
                #expect(response.status == .ok)
                struct List: Decodable { var jobs: [JobStatus] }
                let list = try AdminFixtures.decode(List.self, response)
                #expect(list.jobs.map(\.id) == [id])
            }
            // The same area again: everything is already cached.
            let again = try await AdminFixtures.poll(client, try await AdminFixtures.startSeed(client, #"{"map": "mini", "zooms": [11, 12], "scale": 1}"#))
            #expect(again.state == .succeeded)
            #expect(again.progress.cached == status.progress.total)
            #expect(again.progress.rendered == 0)
        }
        try await engine.shutdown()
    }

    @Test func cancellingStopsARunningJobAndStartsTheNextOne() async throws {
        let engine = ServerFixtures.engine()
        let jobs = AdminFixtures.jobs(engine, maxConcurrentJobs: 1)
        try await AdminFixtures.application(engine, jobs).test(.router) { client in
            let long = try await AdminFixtures.startSeed(client, #"{"map": "mini", "zooms": "0-18", "bbox": [106.66, 20.84, 106.70, 20.87]}"#)
            let next = try await AdminFixtures.startSeed(client, #"{"map": "mini", "zooms": "11"}"#)
            let dropped = try await AdminFixtures.startSeed(client, #"{"map": "mini", "zooms": "12"}"#)
            #expect(try await AdminFixtures.poll(client, long, until: { $0.state != .queued }).state == .running)
            #expect(try await AdminFixtures.status(client, next).state == .queued)

            // A queued job is cancelled at once.
            try await client.execute(uri: "/admin/jobs/\(dropped)", method: .delete, headers: AdminFixtures.authorization) { response in
                #expect(response.status == .ok)
                let status = try AdminFixtures.decode(JobStatus.self, response)
                #expect(status.state == .cancelled)
                #expect(status.startedAt == nil)
            }
            // A running one stops soon (zooms 0-18 take about a second here, cancelling takes milliseconds).
            try await client.execute(uri: "/admin/jobs/\(long)", method: .delete, headers: AdminFixtures.authorization) { response in
                #expect(response.status == .ok)
                let status = try AdminFixtures.decode(JobStatus.self, response)
                #expect(status.cancelRequested)
            }
            let cancelled = try await AdminFixtures.poll(client, long)
            #expect(cancelled.state == .cancelled)
            #expect(cancelled.error == "cancelled by request")
            #expect(cancelled.progress.done < cancelled.progress.total)
            #expect(cancelled.finishedAt != nil)

            // The freed slot runs the queued job; the dropped one never starts.
            #expect(try await AdminFixtures.poll(client, next).state == .succeeded)
            #expect(try await AdminFixtures.status(client, dropped).state == .cancelled)

            // Cancelling a finished job changes nothing.
            try await client.execute(uri: "/admin/jobs/\(next)", method: .delete, headers: AdminFixtures.authorization) { response in
                #expect(response.status == .ok)
                let status = try AdminFixtures.decode(JobStatus.self, response)
                #expect(status.state == .succeeded)
            }
        }
        try await engine.shutdown()
    }

    @Test(arguments: ["/admin/jobs/\(JobID())", "/admin/jobs/not-a-job", "/admin/jobs/..%2F..%2Fetc"])
    func unknownJobsAreNotFound(uri: String) async throws {
        let engine = ServerFixtures.engine()
        try await AdminFixtures.application(engine, AdminFixtures.jobs(engine)).test(.router) { client in
            for method in [HTTPRequest.Method.get, .delete] {
                try await client.execute(uri: uri, method: method, headers: AdminFixtures.authorization) { response in
                    #expect(response.status == .notFound, "\(method) \(uri)")
                    #expect(response.headers[.cacheControl] == "no-store")
                }
            }
        }
        try await engine.shutdown()
    }
}
