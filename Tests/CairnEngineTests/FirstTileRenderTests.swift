@testable import CairnConfiguration
import CairnCore
import Foundation
import Testing
@testable import CairnEngine
import CairnRender

/// A cold tile is answered before the rest of its metatile is drawn, with the very bytes the whole
/// metatile's render (`cairn render`, `cairn seed`) gives it: labels placed for the whole metatile,
/// only what reaches its square drawn, on a canvas of the metatile's size.
struct FirstTileRenderTests {
    static let demo: Result<LoadedMap, any Error> = Result {
        try MapLoader.load(MapConfiguration(name: "hai-phong", stylePath: TestPaths.demoStyle, metatileSize: 8))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        /// Central Hải Phòng, where streets, districts and place names are labelled.
        var centre: TileCoordinate
        /// The requested tile's column and row in its 8×8 metatile.
        var column: Int
        var row: Int
        var scale: Int
        var testDescription: String { "\(centre) tile \(column),\(row)" + (scale == 2 ? " @2x" : "") }
    }

    static let cases: [Case] = [
        Case(centre: TileCoordinate(z: 14, x: 13047, y: 7221), column: 0, row: 0, scale: 1),
        Case(centre: TileCoordinate(z: 14, x: 13047, y: 7221), column: 7, row: 5, scale: 1),
        Case(centre: TileCoordinate(z: 15, x: 26094, y: 14442), column: 7, row: 7, scale: 1),
        Case(centre: TileCoordinate(z: 15, x: 26094, y: 14442), column: 7, row: 0, scale: 1),
        Case(centre: TileCoordinate(z: 16, x: 52188, y: 28884), column: 0, row: 7, scale: 1),
        Case(centre: TileCoordinate(z: 16, x: 52188, y: 28884), column: 4, row: 4, scale: 1),
        Case(centre: TileCoordinate(z: 15, x: 26094, y: 14442), column: 6, row: 2, scale: 2),
    ]

    @Test(arguments: cases)
    func firstTileIsTheMetatilesTile(_ testCase: Case) throws {
        let map = try Self.demo.get()
        let metatile = Metatile(containing: testCase.centre, size: 8, in: map.grid)
        let first = TileCoordinate(z: metatile.z, x: metatile.origin.x + testCase.column, y: metatile.origin.y + testCase.row)
        let whole = try MapRenderer.render(map, metatile: metatile, scale: testCase.scale)

        var delivered: [UInt8]?
        var deliveries = 0
        let progressive = try MapRenderer.render(map, metatile: metatile, scale: testCase.scale, first: first) { png in
            delivered = png
            deliveries += 1
        }
        #expect(deliveries == 1)
        let expected = try #require(whole[first])
        #expect(delivered == expected, "the early tile differs from the metatile's")
        #expect(progressive.count == 64)
        for tile in metatile.tiles {
            #expect(progressive[tile] == whole[tile], "\(tile) differs from the metatile's")
        }

        // The case means something only with labels placed across the metatile.
        let frame = MetatileFrame(map: map, metatile: metatile, scale: testCase.scale)
        let canvas = try frame.canvas(window: frame.window(of: first))
        var meter = RenderBudgetMeter(.unlimited)
        try MapRenderer.draw(map, on: canvas, zoom: map.styleZoom(at: metatile.z), query: frame.query, labelQuery: frame.labelQuery, meter: &meter, pass: .labels)
        #expect(canvas.placeLabels().count > 0, "no labels in \(metatile)")
    }

    /// A cold request's tile (and the rest of its metatile, stored behind it) equals what seeding stores.
    @Test func coldTilesAreTheSeededTiles() async throws {
        let centre = TileCoordinate(z: 15, x: 26094, y: 14442)
        let metatile = Metatile(containing: centre, size: 8, in: .webMercator)
        let requested = TileCoordinate(z: 15, x: metatile.origin.x + 7, y: metatile.origin.y + 7)
        let corners = [metatile.origin, TileCoordinate(z: 15, x: metatile.origin.x + 7, y: metatile.origin.y),
                       TileCoordinate(z: 15, x: metatile.origin.x, y: metatile.origin.y + 7), centre]

        let served = Self.engine(cache: TestPaths.temporaryFolder())
        let cold = try await served.tile(map: "hai-phong", requested, scale: 1, admission: .unlimited)
        #expect(!cold.cacheHit)
        // The rest of the metatile is stored behind the answer: the other tiles become cache hits.
        let deadline = ContinuousClock.now + .seconds(120)
        var stored = false
        while !stored && ContinuousClock.now < deadline {
            stored = try await served.tile(map: "hai-phong", metatile.origin, scale: 1, admission: .unlimited).cacheHit
        }
        #expect(stored, "the rest of the metatile was not stored")
        #expect(served.metrics.png.renderCount == 1, "the metatile was rendered more than once")

        let seeded = Self.engine(cache: TestPaths.temporaryFolder())
        // The metatile's own square (a metre in from its edges, so no neighbour is seeded).
        let bounds = metatile.bounds(in: .webMercator)
        let inside = BoundingBox(minX: bounds.minX + 1, minY: bounds.minY + 1, maxX: bounds.maxX - 1, maxY: bounds.maxY - 1)
        let result = try await seeded.seed(map: "hai-phong", SeedRequest(zooms: 15...15, area: .box(inside, crs: .webMercator)))
        #expect(result.failedTiles == 0 && result.doneTiles == 64)

        for tile in [requested] + corners {
            let fromSeed = try await seeded.tile(map: "hai-phong", tile, scale: 1, admission: .unlimited)
            let fromServe = try await served.tile(map: "hai-phong", tile, scale: 1, admission: .unlimited)
            #expect(fromSeed.cacheHit && fromServe.cacheHit)
            #expect(fromSeed.data == fromServe.data, "\(tile): served and seeded bytes differ")
        }
        let seededRequested = try await seeded.tile(map: "hai-phong", requested, scale: 1, admission: .unlimited)
        #expect(cold.data == seededRequested.data, "the cold answer differs from the seeded tile")
        try await served.shutdown()
        try await seeded.shutdown()
    }

    /// Requests for other tiles of a metatile being drawn join its render: it is drawn once.
    @Test func concurrentRequestsJoinOneRender() async throws {
        let engine = Self.engine(cache: TestPaths.temporaryFolder())
        let metatile = Metatile(containing: TileCoordinate(z: 16, x: 52188, y: 28884), size: 8, in: .webMercator)
        let tiles = metatile.tiles
        let results = try await withThrowingTaskGroup(of: (TileCoordinate, TileResult).self) { group in
            for tile in [tiles[0], tiles[9], tiles[63], tiles[0]] {
                group.addTask { (tile, try await engine.tile(map: "hai-phong", tile, scale: 1, admission: .unlimited)) }
            }
            return try await group.reduce(into: [(TileCoordinate, TileResult)]()) { $0.append($1) }
        }
        #expect(engine.metrics.png.renderCount == 1)
        let whole = try MapRenderer.render(try Self.demo.get(), metatile: metatile, scale: 1)
        for (tile, result) in results { #expect(result.data == whole[tile], "\(tile)") }
        try await engine.shutdown()
    }

    static func engine(cache: String) -> TileEngine {
        let configuration = CairnConfiguration(cacheDirectory: cache, maps: [
            MapConfiguration(name: "hai-phong", stylePath: TestPaths.demoStyle, metatileSize: 8),
        ])
        return TileEngine(configuration: configuration, renderThreads: 2)
    }
}
