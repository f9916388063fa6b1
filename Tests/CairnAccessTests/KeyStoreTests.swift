@testable import CairnAccess
import Foundation
import Testing
import CairnTestSupport

struct KeyStoreTests {
    func temporaryFile() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("cairn-keys-\(UUID().uuidString).yaml").path
    }

    @Test func generatedKeysVerifyAndOnlyTheHashIsStored() throws {
        let path = temporaryFile()
        let made = try KeyFile.create(at: path, maps: ["land", "planning"], origins: ["https://portal.example"])
        #expect(made.key.hasPrefix("cairn_" + made.record.id + "_"))
        #expect(APIKey.id(of: made.key) == made.record.id)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains(made.key))
        #expect(!text.contains(String(made.key.suffix(43))))
        #expect(text.contains(APIKey.hash(of: made.key)))
        let principal = try KeyStore(path: path).verify(made.key)
        #expect(principal.id == made.record.id)
        #expect(principal.maps == ["land", "planning"])
        #expect(principal.origins == ["https://portal.example"])
        #expect(principal.expiresAt == nil)
    }

    @Test func wrongMalformedRevokedAndExpiredKeysAreRefused() async throws {
        let path = temporaryFile()
        let good = try KeyFile.create(at: path, maps: ["land"])
        let expiring = try KeyFile.create(at: path, maps: ["land"], expires: Date().addingTimeInterval(60))
        let store = try KeyStore(path: path)
        var flipped = Array(good.key.utf8)
        flipped[flipped.count - 1] = flipped.last == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        for key in [String(decoding: flipped, as: UTF8.self), "cairn_k00000000_" + String(repeating: "A", count: 43), "", "cairn_", good.key + "x",
                    String(good.key.dropLast())] {
            #expect(throws: AccessError.self) { _ = try store.verify(key) }
        }
        _ = try store.verify(expiring.key)
        #expect(throws: AccessError.self) { _ = try store.verify(expiring.key, now: Date().addingTimeInterval(120)) }
        try KeyFile.revoke(at: path, id: good.record.id)
        // The running store notices the changed file (checked at most once a second).
        let noticed = await Wait.until(timeout: .seconds(10)) { (try? store.verify(good.key)) == nil }
        #expect(noticed, "the revoked key was still accepted after 10 s")
        #expect(throws: AccessError.self) { _ = try store.verify(good.key) }
        #expect(try KeyFile.read(path).first { $0.id == good.record.id }?.revoked != nil)
    }

    @Test func revokingAnUnknownIdFails() throws {
        let path = temporaryFile()
        _ = try KeyFile.create(at: path, maps: ["land"])
        #expect(throws: AccessError.self) { try KeyFile.revoke(at: path, id: "k00000000") }
    }

    @Test func brokenKeysFileIsAConfigurationError() throws {
        let path = temporaryFile()
        try "keys: [1, 2".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: AccessError.self) { _ = try KeyStore(path: path) }
        #expect(try KeyFile.read(temporaryFile()).isEmpty)
    }
}
