import CairnCore
import Testing
@testable import CairnEngine

/// The geometry helpers that keep source tiles from showing: line clipping to a tile square,
/// re-joining clipped pieces, and half-open point ownership.
struct VectorLayerDrawingTests {
    let square = BoundingBox(minX: 0, minY: 0, maxX: 10, maxY: 10)

    @Test func clipsLinesToTheSquare() {
        let crossing = [Point(-5, 5), Point(5, 5), Point(15, 5)]
        #expect(VectorLayerDrawing.clip([crossing], to: square) == [[Point(0, 5), Point(5, 5), Point(10, 5)]])
        // Leaving and re-entering gives two pieces; a line wholly outside gives none.
        let wave = [Point(2, 2), Point(2, 12), Point(8, 12), Point(8, 2)]
        #expect(VectorLayerDrawing.clip([wave], to: square) == [[Point(2, 2), Point(2, 10)], [Point(8, 10), Point(8, 2)]])
        #expect(VectorLayerDrawing.clip([[Point(20, 20), Point(30, 30)]], to: square).isEmpty)
        let inside = [Point(1, 1), Point(9, 9)]
        #expect(VectorLayerDrawing.clip([inside], to: square) == [inside])
    }

    @Test func joinsPiecesThatMeetEndToEnd() {
        let a = [Point(0, 0), Point(10, 0)]
        let b = [Point(10, 0), Point(20, 0)]
        let c = [Point(20, 0), Point(30, 5)]
        let apart = [Point(50, 50), Point(60, 60)]
        // Any order: c first, then a, then b bridging both.
        let merged = VectorLayerDrawing.mergeLines([c, a, apart, b])
        #expect(merged.count == 2)
        #expect(merged.contains([Point(0, 0), Point(10, 0), Point(20, 0), Point(30, 5)]))
        #expect(merged.contains(apart))
        // Endpoints a hair apart (two tiles converting the same vertex) still join.
        let nudged = [Point(10.000_000_01, 0), Point(20, 0)]
        #expect(VectorLayerDrawing.mergeLines([a, nudged]).count == 1)
    }

    @Test func aPointOnAnEdgeBelongsToOneTileOnly() {
        let east = BoundingBox(minX: 10, minY: 0, maxX: 20, maxY: 10)
        let onEdge = Point(10, 5)
        #expect(VectorLayerDrawing.owns(square, onEdge) != VectorLayerDrawing.owns(east, onEdge))
        let north = BoundingBox(minX: 0, minY: 10, maxX: 10, maxY: 20)
        let onTop = Point(5, 10)
        #expect(VectorLayerDrawing.owns(square, onTop) != VectorLayerDrawing.owns(north, onTop))
    }
}
