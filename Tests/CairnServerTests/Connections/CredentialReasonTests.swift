import CairnAccess
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CairnServer

/// Issue 11, smaller items through the router: a correctly signed token with an out-of-range
/// `bbox`, and an embed URL signed for longer than allowed, are refused (401) saying why; a
/// forged one still gets the usual words.
struct CredentialReasonTests {
    static let nosniffHeader = HTTPField.Name("X-Content-Type-Options")!

    @Test func outOfRangeBoundingBoxClaimIsRefusedWithItsReason() async throws {
        let f = try await AccessFixture()
        let token = try await AccessFixture.token(bbox: [100, 20, 200, 21])
        try await f.application().test(.router) { client in
            try await client.execute(uri: "/maps/secret/13/6523/3610.png", method: .get, headers: [.authorization: "Bearer \(token)"]) { response in
                #expect(response.status == .unauthorized)
                #expect(String(buffer: response.body).contains("longitude outside -180...180"), "\(String(buffer: response.body))")
                #expect(response.headers[Self.nosniffHeader] == "nosniff")
            }
            let good = try await AccessFixture.token(bbox: [106.6, 20.8, 106.8, 20.9])
            try await client.execute(uri: "/maps/secret/13/6523/3610.png", method: .get, headers: [.authorization: "Bearer \(good)"]) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/maps/secret/13/6523/3610.png", method: .get, headers: [.authorization: "Bearer \(token)x"]) { response in
                #expect(response.status == .unauthorized)
                #expect(String(buffer: response.body).contains("invalid or expired credential"))
            }
        }
        try await f.engine.shutdown()
    }

    @Test func embedURLSignedForTooLongIsRefusedWithItsReason() async throws {
        let f = try await AccessFixture()
        let long = f.signer.signEmbed(map: "secret", expires: Date().addingTimeInterval(365 * 86_400))
        let short = f.signer.signEmbed(map: "secret", expires: Date().addingTimeInterval(600))
        try await f.application().test(.router) { client in
            try await client.execute(uri: long, method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(String(buffer: response.body).contains("beyond the maximum lifetime of 30 days"), "\(String(buffer: response.body))")
                #expect(response.headers[.cacheControl] == "no-store")
            }
            try await client.execute(uri: short, method: .get) { #expect($0.status == .ok) }
        }
        try await f.engine.shutdown()
    }
}
