@testable import CairnJobs
import CairnAccess
import CairnEngine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CairnServer

/// Every admin route needs the bearer token; refusals say how to authenticate and are never cached.
struct AdminAuthTests {
    static let refused: [(String, String?)] = [
        ("missing", nil),
        ("wrong token", "Bearer test-admin-token-0123456789abcdeX"),
        ("wrong, shorter", "Bearer test-admin-token"),
        ("wrong, longer", "Bearer \(AdminFixtures.token)0"),
        ("prefix of the token", "Bearer \(AdminFixtures.token.dropLast())"),
        ("empty", "Bearer "),
        ("wrong scheme", "Basic \(Data("admin:\(AdminFixtures.token)".utf8).base64EncodedString())"),
        ("token without scheme", AdminFixtures.token),
        ("other scheme", "Token \(AdminFixtures.token)"),
    ]

    @Test(arguments: refused)
    func refusesWithoutTheRightBearerToken(_ label: String, authorization: String?) async throws {
        let engine = ServerFixtures.engine()
        let jobs = AdminFixtures.jobs(engine)
        try await AdminFixtures.application(engine, jobs).test(.router) { client in
            let headers: HTTPFields = authorization.map { [.authorization: $0] } ?? [:]
            for (uri, method) in [("/admin/health", HTTPRequest.Method.get), ("/admin/jobs", .get), ("/admin/seed", .post),
                                  ("/admin/jobs/\(JobID())", .delete), ("/admin/nothing-here", .get)] {
                try await client.execute(uri: uri, method: method, headers: headers,
                                         body: AdminFixtures.body(#"{"map": "mini", "zooms": "11-12"}"#)) { response in
                    #expect(response.status == .unauthorized, "\(label): \(method) \(uri)")
                    #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                    #expect(response.headers[.cacheControl] == "no-store")
                    #expect(!String(buffer: response.body).contains(AdminFixtures.token))
                }
            }
        }
        #expect(await jobs.jobs().isEmpty)
        try await engine.shutdown()
    }

    @Test func acceptsTheRightTokenWithAnyCaseOfScheme() async throws {
        let engine = ServerFixtures.engine()
        try await AdminFixtures.application(engine, AdminFixtures.jobs(engine)).test(.router) { client in
            for scheme in ["Bearer", "bearer", "BEARER"] {
                try await client.execute(uri: "/admin/health", method: .get, headers: [.authorization: "\(scheme) \(AdminFixtures.token)"]) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.cacheControl] == "no-store")
                    let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                    #expect(json["status"] as? String == "ok")
                    #expect(!String(buffer: response.body).contains(AdminFixtures.token))
                }
            }
        }
        try await engine.shutdown()
    }

    @Test func anEmptyConfiguredTokenRefusesEverything() async throws {
        let engine = ServerFixtures.engine()
        let app = buildAdminApplication(engine: engine, jobs: AdminFixtures.jobs(engine), host: "127.0.0.1", port: 0, token: "",
                                        logger: AdminFixtures.logger())
        try await app.test(.router) { client in
            for header in ["Bearer ", "Bearer", ""] {
                try await client.execute(uri: "/admin/health", method: .get, headers: [.authorization: header]) { response in
                    #expect(response.status == .unauthorized)
                }
            }
        }
        try await engine.shutdown()
    }

    @Test func comparisonNeedsTheSameLengthAndBytes() {
        typealias Auth = AdminAuthMiddleware<BasicRequestContext>
        let expected = Array("0123456789abcdef".utf8)
        #expect(ConstantTime.equals(ArraySlice(expected), expected))
        #expect(!ConstantTime.equals(ArraySlice(expected.dropLast()), expected))
        #expect(!ConstantTime.equals(ArraySlice(expected + expected), expected))
        #expect(!ConstantTime.equals(ArraySlice(Array("0123456789abcdeF".utf8)), expected))
        #expect(!ConstantTime.equals([], expected))
        #expect(!ConstantTime.equals([], []))
        #expect(Auth.bearerToken(in: "Bearer  abc ") == ArraySlice(Array("abc".utf8)))
        #expect(Auth.bearerToken(in: "Bearerabc") == nil)
    }
}
