import CairnEngine
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import CairnServer

/// The admin listener: HEAD wherever GET is, 405 with `Allow` for other methods on its paths.
struct AdminMethodTests {
    @Test func headAnd405OnTheAdminListener() async throws {
        let engine = ServerFixtures.engine()
        let jobs = AdminFixtures.jobs(engine)
        try await AdminFixtures.application(engine, jobs).test(.router) { client in
            let auth = AdminFixtures.authorization
            let get = try await client.execute(uri: "/admin/health", method: .get, headers: auth) { $0 }
            try await client.execute(uri: "/admin/health", method: .head, headers: auth) { head in
                #expect(head.status == get.status)
                #expect(head.body.readableBytes == 0)
                #expect(head.headers[.contentLength] == String(get.body.readableBytes))
            }
            try await client.execute(uri: "/admin/seed", method: .get, headers: auth) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
            }
            try await client.execute(uri: "/admin/jobs/abc", method: .post, headers: auth) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, HEAD, DELETE")
            }
            try await client.execute(uri: "/admin/reload", method: .options, headers: auth) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
            }
            // Still behind the token: without it, 401 whatever the method.
            try await client.execute(uri: "/admin/seed", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/admin/nothing", method: .get, headers: auth) { response in
                #expect(response.status == .notFound)
            }
        }
        try await engine.shutdown()
    }
}
