@testable import CairnAccess
import Foundation
import Synchronization
import Testing

/// Issue 11, operator safety: a JWT `bbox` out of range, an embed URL signed for too long, and a
/// keys file broken by hand are refused with a reason, and the keys in force stay in force.
struct OperatorSafetyTests {
    @Test(arguments: [
        ([106.6, 20.8, 106.8], "4 numbers"),
        ([-181, 20.8, 106.8, 20.9], "longitude outside"),
        ([106.6, 20.8, 190, 20.9], "longitude outside"),
        ([106.6, -91, 106.8, 20.9], "latitude outside"),
        ([106.6, 20.8, 106.8, 95], "latitude outside"),
        ([170, 20.8, -170, 20.9], "antimeridian"),
        ([106.8, 20.8, 106.6, 20.9], "west >= east"),
        ([106.6, 20.9, 106.8, 20.8], "south >= north"),
        ([106.6, .infinity, 106.8, 20.9], "finite"),
    ] as [([Double], String)])
    func jwtBoundingBoxOutOfRangeIsRefusedWithItsReason(_ values: [Double], reason: String) async throws {
        #expect(throws: AccessError.self) { _ = try JWTVerifier.checkedBoundingBox(values) }
        do {
            _ = try JWTVerifier.checkedBoundingBox(values)
        } catch {
            #expect(error.code == .invalidCredential)
            #expect(error.message.contains(reason), "\(error.message)")
        }
        // Through the whole verifier too: a correctly signed token with that box is refused.
        let verifier = try await JWTVerifierTests.verifier()
        var claims = PortalClaims()
        claims.bbox = values.map { $0.isFinite ? $0 : 1e308 }
        if values.allSatisfy(\.isFinite) {
            await #expect(throws: AccessError.self) { _ = try await verifier.verify(try await Sign.hs256(claims)) }
        }
    }

    @Test func jwtBoundingBoxAtTheLimitsIsAccepted() throws {
        let box = try JWTVerifier.checkedBoundingBox([-180, -90, 180, 90])
        #expect(box.minX == -180 && box.maxY == 90)
    }

    @Test func embedURLsHaveAMaximumLifetime() throws {
        let secret = Array("embed-secret-for-tests-only-0123456789".utf8)
        let signer = URLSigner(secret: secret)
        #expect(signer.maxEmbedLifetime == 30 * 86_400)
        let now = Date()
        try signer.checkEmbedLifetime(expires: now.addingTimeInterval(29 * 86_400), now: now)
        do {
            try signer.checkEmbedLifetime(expires: now.addingTimeInterval(400 * 86_400), now: now)
            Issue.record("a 400-day embed URL was allowed")
        } catch {
            #expect(error.message.contains("at most 30 days"), "\(error.message)")
            #expect(error.message.contains("auth.embed_max_lifetime"))
        }
        // A URL signed for longer (another setting, an older version) is refused when verified, with the reason.
        let long = signer.signEmbed(map: "land", expires: now.addingTimeInterval(90 * 86_400))
        let query = String(long.split(separator: "?", maxSplits: 1)[1])
        do {
            _ = try signer.verifyEmbed(map: "land", rawQuery: query, now: now)
            Issue.record("a 90-day embed URL was accepted")
        } catch {
            #expect(error.code == .invalidCredential)
            #expect(error.message.contains("beyond the maximum lifetime of 30 days"), "\(error.message)")
        }
        let short = signer.signEmbed(map: "land", expires: now.addingTimeInterval(7 * 86_400))
        _ = try signer.verifyEmbed(map: "land", rawQuery: String(short.split(separator: "?", maxSplits: 1)[1]), now: now)
        // A longer configured maximum allows it.
        let lenient = URLSigner(secret: secret, maxEmbedLifetime: 120 * 86_400)
        _ = try lenient.verifyEmbed(map: "land", rawQuery: query, now: now)
    }

    @Test func brokenKeysFileKeepsTheOldKeysAndSaysWhy() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-keys-\(UUID().uuidString).yaml").path
        let made = try KeyFile.create(at: path, maps: ["land"])
        let store = try KeyStore(path: path)
        let reports = Mutex<[String]>([])
        store.onReload { file, outcome in
            switch outcome {
            case .success(let count): reports.withLock { $0.append("ok \(count) \(file)") }
            case .failure(let error): reports.withLock { $0.append("error \(file): \(error.message)") }
            }
        }
        #expect(store.problem == nil)
        // A hand-edited revocation with a typo: not YAML any more.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try (text + "\n  - id: [unclosed\n    revoked: yes\n").write(toFile: path, atomically: true, encoding: .utf8)
        guard case .failure = store.reloadNow() else { Issue.record("a broken keys file was accepted"); return }
        #expect(store.problem?.message.contains(path) == true, "\(String(describing: store.problem))")
        #expect(try store.verify(made.key).id == made.record.id, "the keys in force were dropped")
        #expect(reports.withLock { $0 }.count == 1)
        #expect(reports.withLock { $0 }.first?.hasPrefix("error \(path)") == true)
        // Every re-read reports it again, until the file is fixed.
        store.reloadNow()
        #expect(reports.withLock { $0 }.count == 2)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        guard case .success(1) = store.reloadNow() else { Issue.record("the fixed keys file was not read"); return }
        #expect(store.problem == nil)
        #expect(reports.withLock { $0 }.last == "ok 1 \(path)")
    }
}
