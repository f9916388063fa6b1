import CairnAccess
import CairnCore
import CairnEngine
import Testing
@testable import CairnServer

/// A credential limited to an area or zooms learns of edits only inside them.
struct ScopedInvalidationTests {
    /// Tile 13/6523/3610 and its z14 children, in degrees.
    static let invalidation = TileInvalidation(
        map: "secret", zooms: 13...14, bbox: BoundingBox(minX: 106.66, minY: 20.84, maxX: 106.69, maxY: 20.87),
        tiles: [TileRange(z: 13, minX: 6523, minY: 3610, maxX: 6523, maxY: 3610),
                TileRange(z: 14, minX: 13046, minY: 7220, maxX: 13047, maxY: 7221)],
        formats: [.png], scales: [1], deleted: false)

    @Test func anUnlimitedCredentialSeesTheWholeInvalidation() {
        #expect(Self.invalidation.visible(to: nil) == Self.invalidation)
        #expect(Self.invalidation.visible(to: Principal(kind: .apiKey, id: "k", maps: ["secret"])) == Self.invalidation)
    }

    @Test func zoomLimitsDropOtherZooms() throws {
        let principal = Principal(kind: .token, id: "alice", maps: ["secret"], minZoom: 14)
        let visible = try #require(Self.invalidation.visible(to: principal))
        #expect(visible.zooms == 14...14)
        #expect(visible.tiles == [Self.invalidation.tiles[1]])
        #expect(Self.invalidation.visible(to: Principal(kind: .token, id: "bob", maps: ["secret"], maxZoom: 12)) == nil)
    }

    @Test func anAreaCutsRangesAndBoxAndHidesEditsOutsideIt() throws {
        // The western column of the z14 children only (106.655..106.677).
        let west = BoundingBox(minX: 106.656, minY: 20.80, maxX: 106.670, maxY: 20.90)
        let visible = try #require(Self.invalidation.visible(to: Principal(kind: .apiKey, id: "k", maps: ["secret"], bbox: west)))
        #expect(visible.tiles == [TileRange(z: 13, minX: 6523, minY: 3610, maxX: 6523, maxY: 3610),
                                  TileRange(z: 14, minX: 13046, minY: 7220, maxX: 13046, maxY: 7221)])
        #expect(visible.bbox == BoundingBox(minX: 106.66, minY: 20.84, maxX: 106.670, maxY: 20.87))
        let elsewhere = BoundingBox(minX: 105.0, minY: 21.0, maxX: 105.1, maxY: 21.1)
        #expect(Self.invalidation.visible(to: Principal(kind: .apiKey, id: "k", maps: ["secret"], bbox: elsewhere)) == nil)
    }
}
