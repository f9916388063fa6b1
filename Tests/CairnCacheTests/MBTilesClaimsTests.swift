import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnCache

/// Metatile claims: one owner at a time, released on request, taken over once expired, and
/// cheap enough to take for every metatile of a seed.
struct MBTilesClaimsTests {
    static let metatile = Metatile(containing: TileCoordinate(z: 12, x: 3261, y: 1805), size: 8, in: .webMercator)

    /// Two stores on one file: two connections, as two processes have.
    static func stores() throws -> (MBTilesStore, MBTilesStore) {
        let path = try MBTilesTestSupport.temporaryFile()
        let first = try MBTilesStore(path: path, metadata: MBTilesTestSupport.metadata)
        let second = try MBTilesStore(path: path, metadata: MBTilesTestSupport.metadata)
        try first.prepareClaims()
        try second.prepareClaims()
        return (first, second)
    }

    @Test func aClaimIsHeldByOneOwnerUntilReleased() throws {
        let (a, b) = try Self.stores()
        #expect(try a.claim(Self.metatile, owner: "a", lease: .seconds(60)))
        #expect(try !b.claim(Self.metatile, owner: "b", lease: .seconds(60)), "held by a")
        #expect(try a.claim(Self.metatile, owner: "a", lease: .seconds(60)), "a renews its own claim")
        // Another size of metatile at the same origin is another claim.
        let other = Metatile(containing: Self.metatile.origin, size: 4, in: .webMercator)
        #expect(try b.claim(other, owner: "b", lease: .seconds(60)))
        try b.releaseClaim(Self.metatile, owner: "b")
        #expect(try !b.claim(Self.metatile, owner: "b", lease: .seconds(60)), "b cannot release a's claim")
        try a.releaseClaim(Self.metatile, owner: "a")
        #expect(try b.claim(Self.metatile, owner: "b", lease: .seconds(60)))
    }

    @Test func anExpiredClaimIsTakenOver() throws {
        let (a, b) = try Self.stores()
        // A crashed owner: its lease has run out.
        #expect(try a.claim(Self.metatile, owner: "crashed", lease: .zero))
        #expect(try b.claim(Self.metatile, owner: "b", lease: .seconds(60)))
        #expect(try !a.claim(Self.metatile, owner: "a", lease: .seconds(60)))
        // Preparing a new run forgets expired claims only.
        #expect(try a.claim(Metatile(containing: TileCoordinate(z: 3, x: 1, y: 1), size: 8, in: .webMercator), owner: "gone", lease: .zero))
        try a.prepareClaims()
        let rows = try MBTilesTestSupport.rows(a.path, "SELECT owner FROM cairn_claims")
        #expect(rows == ["b"])
    }

    /// Claim and release for every metatile: measured, so the overhead per metatile is known
    /// (a metatile render takes tens of milliseconds or more).
    @Test func claimsAreCheap() throws {
        let (a, _) = try Self.stores()
        let count = 2000
        let start = ContinuousClock.now
        for i in 0..<count {
            let metatile = Metatile(containing: TileCoordinate(z: 14, x: (i % 64) * 8, y: (i / 64) * 8), size: 8, in: .webMercator)
            #expect(try a.claim(metatile, owner: "a", lease: .seconds(60)))
            try a.releaseClaim(metatile, owner: "a")
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("metatile claims: \(Int(Double(count) / seconds)) claim+release pairs per second (\(String(format: "%.0f", seconds / Double(count) * 1e6)) µs each)")
        #expect(try MBTilesTestSupport.rows(a.path, "SELECT count(*) FROM cairn_claims") == ["0"])
    }
}

extension MBTilesClaimsTests {
    /// The claim of an owner the caller knows is gone (a killed process) is taken over at once.
    @Test func anAbandonedClaimIsTakenOverBeforeItExpires() throws {
        let (a, b) = try Self.stores()
        #expect(try a.claim(Self.metatile, owner: "host 1234 x", lease: .seconds(600)))
        #expect(try !b.claim(Self.metatile, owner: "host 99 y", lease: .seconds(60), isAbandoned: { _ in false }))
        #expect(try b.claim(Self.metatile, owner: "host 99 y", lease: .seconds(60), isAbandoned: { $0 == "host 1234 x" }))
        #expect(try MBTilesTestSupport.rows(a.path, "SELECT owner FROM cairn_claims") == ["host 99 y"])
    }
}
