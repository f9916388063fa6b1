@testable import CairnJobs
import CairnEngine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CairnServer

/// The admin API lives on its own listener only.
struct AdminListenerTests {
    @Test func thePublicApplicationHasNoAdminRoutes() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            for (uri, method) in [("/admin/health", HTTPRequest.Method.get), ("/admin/jobs", .get), ("/admin/seed", .post),
                                  ("/admin/jobs/\(JobID())", .get), ("/admin/jobs/\(JobID())", .delete)] {
                try await client.execute(uri: uri, method: method, headers: AdminFixtures.authorization,
                                         body: AdminFixtures.body(#"{"map": "mini", "zooms": "11"}"#)) { response in
                    #expect(response.status == .notFound, "\(method) \(uri)")
                }
            }
        }
        #expect(engine.renderCount == 0)
        try await engine.shutdown()
    }

    @Test func adminListenerSeedsOverASocket() async throws {
        let engine = ServerFixtures.engine()
        let jobs = AdminFixtures.jobs(engine)
        try await AdminFixtures.application(engine, jobs).test(.live) { client in
            try await client.execute(uri: "/admin/health", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            }
            let id = try await AdminFixtures.startSeed(client, #"{"map": "mini", "zooms": "12", "bbox": [106.66, 20.84, 106.70, 20.87], "scale": 2}"#)
            let status = try await AdminFixtures.poll(client, id)
            #expect(status.state == .succeeded)
            #expect(status.progress.done == status.progress.total)
            #expect(status.progress.total > 0)
        }
        try await engine.shutdown()
    }
}
