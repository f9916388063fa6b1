import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnEngine

/// Seed planning counts tiles by arithmetic and walks metatiles lazily: the counts must equal
/// what listing every tile gives (the old enumeration, and tile-by-tile classification), on
/// several grids including one whose levels do not double, and the world must cost nothing.
struct AreaTilingTests {
    /// A grid whose levels shrink by 2.5, 2.5, 2 and 8/3: no parent/child arithmetic holds.
    static let nonDoubling = TileGrid(
        identifier: "NonDoubling", crs: .epsg(9210), extent: BoundingBox(minX: 0, minY: 0, maxX: 90_000, maxY: 60_000),
        origin: Point(0, 60_000), tileSize: 256, resolutions: [100, 40, 16, 8, 3])

    static let grids: [TileGrid] = [.webMercator, .worldCRS84Quad, .vn2000HaiPhong, nonDoubling]

    /// A point at fractions of the grid's extent (fractions chosen off any tile edge).
    static func at(_ grid: TileGrid, _ fx: Double, _ fy: Double) -> Point {
        let e = grid.extent
        return Point(e.minX + (e.maxX - e.minX) * fx, e.minY + (e.maxY - e.minY) * fy)
    }

    /// A triangle, a concave L, a square with a hole, and two disjoint parts.
    static func areas(_ grid: TileGrid) -> [(String, AreaOfInterest)] {
        func ring(_ points: [(Double, Double)]) -> [Point] { points.map { at(grid, $0.0, $0.1) } }
        return [
            ("box", AreaOfInterest(box: BoundingBox(minX: at(grid, 0.3131, 0).x, minY: at(grid, 0, 0.4217).y,
                                                    maxX: at(grid, 0.6289, 0).x, maxY: at(grid, 0, 0.5573).y))),
            ("triangle", AreaOfInterest(polygons: [[ring([(0.4113, 0.4171), (0.5937, 0.4319), (0.4731, 0.5877)])]])),
            ("L", AreaOfInterest(polygons: [[ring([(0.2017, 0.2113), (0.6071, 0.2113), (0.6071, 0.3391), (0.3339, 0.3391),
                                                   (0.3339, 0.7013), (0.2017, 0.7013)])]])),
            ("holed", AreaOfInterest(polygons: [[ring([(0.5011, 0.5013), (0.8117, 0.5013), (0.8117, 0.8219), (0.5011, 0.8219)]),
                                                 ring([(0.6013, 0.6071), (0.7019, 0.6071), (0.7019, 0.7123), (0.6013, 0.7123)])]])),
            ("two parts", AreaOfInterest(polygons: [[ring([(0.1013, 0.1019), (0.1517, 0.1019), (0.1517, 0.1613)])],
                                                    [ring([(0.8513, 0.8519), (0.9117, 0.8519), (0.9117, 0.9313)])]])),
        ]
    }

    /// Every tile of the candidate rectangle classified on its own: the definition.
    static func bruteForce(_ area: AreaOfInterest, _ grid: TileGrid, z: Int, size: Int) -> (tiles: Set<TileCoordinate>, metatiles: Set<TileCoordinate>) {
        guard let range = grid.tileRange(covering: area.bounds, at: z) else { return ([], []) }
        var tiles: Set<TileCoordinate> = []
        var metatiles: Set<TileCoordinate> = []
        for tile in range where area.isBox || area.coverage(of: grid.bounds(of: tile)) != .outside {
            tiles.insert(tile)
            metatiles.insert(Metatile(containing: tile, size: size, in: grid).origin)
        }
        return (tiles, metatiles)
    }

    @Test(arguments: grids.indices)
    func countsEqualTileByTileClassification(grid index: Int) {
        let grid = Self.grids[index]
        let zooms = 0...min(grid.maxZoom, 7)
        for (name, area) in Self.areas(grid) {
            for size in [1, 2, 4, 8] {
                let tiling = AreaTiling(area: area, grid: grid, metatileSize: size)
                let levels = Dictionary(uniqueKeysWithValues: tiling.levels(zooms).map { ($0.zoom, $0) })
                var walked: [Int: (tiles: Set<TileCoordinate>, metatiles: Set<TileCoordinate>)] = [:]
                var walk = tiling.walk(zooms)
                while let (metatile, tiles) = walk.next() {
                    #expect(walked[metatile.z]?.metatiles.contains(metatile.origin) != true, "\(grid.identifier) \(name): \(metatile) walked twice")
                    walked[metatile.z, default: ([], [])].metatiles.insert(metatile.origin)
                    for tile in tiles {
                        #expect(metatile.contains(tile))
                        walked[metatile.z, default: ([], [])].tiles.insert(tile)
                    }
                }
                for z in zooms {
                    let expected = Self.bruteForce(area, grid, z: z, size: size)
                    let label = "\(grid.identifier) \(name) z\(z) metatile \(size)"
                    #expect((levels[z]?.tiles ?? 0) == expected.tiles.count, "\(label)")
                    #expect((levels[z]?.metatiles ?? 0) == expected.metatiles.count, "\(label)")
                    #expect((walked[z]?.tiles ?? []) == expected.tiles, "\(label)")
                    #expect((walked[z]?.metatiles ?? []) == expected.metatiles, "\(label)")
                }
            }
        }
    }

    /// On grids that double per level, the counts also match the quadtree enumeration seeding used before.
    @Test(arguments: [TileGrid.webMercator, .worldCRS84Quad, .vn2000HaiPhong])
    func countsEqualTheOldEnumeration(grid: TileGrid) {
        let zooms = 1...min(grid.maxZoom, 9)
        for (name, area) in Self.areas(grid) {
            let old = area.tiles(in: grid, zooms: zooms)
            let tiling = AreaTiling(area: area, grid: grid, metatileSize: 8)
            let levels = Dictionary(uniqueKeysWithValues: tiling.levels(zooms).map { ($0.zoom, $0) })
            for z in zooms {
                let tiles = old[z] ?? []
                let metatiles = Set(tiles.map { Metatile(containing: $0, size: 8, in: grid).origin })
                #expect((levels[z]?.tiles ?? 0) == tiles.count, "\(grid.identifier) \(name) z\(z)")
                #expect((levels[z]?.metatiles ?? 0) == metatiles.count, "\(grid.identifier) \(name) z\(z)")
            }
        }
    }

    @Test func walkIsRowMajorZoomByZoom() {
        let grid = TileGrid.webMercator
        for (name, area) in Self.areas(grid) {
            var walk = AreaTiling(area: area, grid: grid, metatileSize: 4).walk(3...8)
            var previous: TileCoordinate?
            while let (metatile, tiles) = walk.next() {
                #expect(!tiles.isEmpty)
                if let previous {
                    #expect((previous.z, previous.y, previous.x) < (metatile.z, metatile.origin.y, metatile.origin.x), "\(name)")
                }
                #expect(tiles == tiles.sorted { ($0.y, $0.x) < ($1.y, $1.x) }, "\(name)")
                previous = metatile.origin
            }
        }
    }

    /// The world at z0–22: 23,456,248,059,221 tiles, counted (not listed) in microseconds.
    @Test func worldAtZoom0To22IsCountedInConstantMemory() {
        let resetWorked = ProcessMemory.resetPeak()
        let before = ProcessMemory.peakResidentBytes
        let start = ContinuousClock.now
        let levels = AreaTiling(area: AreaOfInterest(box: TileGrid.webMercator.extent), grid: .webMercator, metatileSize: 8).levels(0...22)
        let elapsed = ContinuousClock.now - start
        let tiles = levels.reduce(0) { $0 + $1.tiles }
        let metatiles = levels.reduce(0) { $0 + $1.metatiles }
        #expect(tiles == ((1 << 46) - 1) / 3)
        #expect(metatiles == (0...22).reduce(0) { $0 + ($1 < 3 ? 1 : 1 << (2 * ($1 - 3))) })
        #expect(elapsed < .seconds(1))
        if let before, let after = ProcessMemory.peakResidentBytes {
            print("world z0-22: \(tiles) tiles, \(metatiles) metatiles counted in \(elapsed); peak RSS grew \((after - before) / 1024) KiB (peak reset: \(resetWorked))")
            #expect(after - before < 512 << 20, "listing them would take terabytes; other tests share the process")
        }
    }

    /// A polygon over much of the world down to z12: the work follows the boundary (some
    /// 10⁴ tiles of it at z12) and the memory stays flat.
    @Test func largePolygonIsCountedInConstantMemory() {
        let grid = TileGrid.webMercator
        let area = AreaOfInterest(polygons: [[[Self.at(grid, 0.0513, 0.0717), Self.at(grid, 0.9613, 0.1111), Self.at(grid, 0.4917, 0.9419)]]])
        ProcessMemory.resetPeak()
        let before = ProcessMemory.peakResidentBytes
        let start = ContinuousClock.now
        let levels = AreaTiling(area: area, grid: grid, metatileSize: 8).levels(0...12)
        let elapsed = ContinuousClock.now - start
        let tiles = levels.reduce(0) { $0 + $1.tiles }
        // About 39 % of the world's 4^12 tiles at z12.
        let z12 = levels.last
        #expect(z12?.zoom == 12)
        #expect(Double(z12?.tiles ?? 0) > 0.35 * Double(1 << 24) && Double(z12?.tiles ?? 0) < 0.45 * Double(1 << 24))
        if let before, let after = ProcessMemory.peakResidentBytes {
            // Printed, not asserted: other tests running beside this one move the process's peak
            // as much as listing these tiles would; the interop dry run measures a process of its own.
            print("triangle over the world z0-12: \(tiles) tiles counted in \(elapsed); peak RSS grew \((after - before) / 1024) KiB")
        }
    }

    /// Walking the world at z0–20 holds one metatile at a time.
    @Test func walkingTheWorldHoldsOneMetatileAtATime() {
        ProcessMemory.resetPeak()
        let before = ProcessMemory.peakResidentBytes
        var walk = AreaTiling(area: AreaOfInterest(box: TileGrid.webMercator.extent), grid: .webMercator, metatileSize: 8).walk(0...20)
        var metatiles = 0, tiles = 0
        var last: Metatile?
        while metatiles < 200_000, let (metatile, wanted) = walk.next() {
            metatiles += 1
            tiles += wanted.count
            last = metatile
        }
        // z0–11 hold 87,384 metatiles; the rest are z12's first rows.
        #expect(metatiles == 200_000)
        #expect(last?.z == 12)
        if let before, let after = ProcessMemory.peakResidentBytes {
            print("walked \(metatiles) metatiles (\(tiles) tiles) of the world z0-20; peak RSS grew \((after - before) / 1024) KiB")
            #expect(after - before < 512 << 20, "listing them would take terabytes; other tests share the process")
        }
    }

    /// A box far larger than the grid is the whole grid; one with NaN or infinities never
    /// reaches the tile arithmetic (where it would trap).
    @Test func hugeAndNonFiniteBoxesAreSafe() {
        let grid = TileGrid.webMercator
        let huge = AreaTiling(area: AreaOfInterest(box: BoundingBox(minX: -1e300, minY: -1e300, maxX: 1e300, maxY: 1e300)), grid: grid, metatileSize: 8)
        #expect(huge.levels(0...10).reduce(0) { $0 + $1.tiles } == ((1 << 22) - 1) / 3)
        for box in [BoundingBox(minX: .nan, minY: 0, maxX: 1, maxY: 1), BoundingBox(minX: -.infinity, minY: -.infinity, maxX: .infinity, maxY: .nan)] {
            let tiling = AreaTiling(area: AreaOfInterest(box: box), grid: grid, metatileSize: 8)
            #expect(tiling.levels(0...10).isEmpty)
            var walk = tiling.walk(0...10)
            #expect(walk.next() == nil)
        }
    }

    /// A count deep in a z22 boundary asks `shouldStop` every few thousand steps and stops.
    @Test func aCountStopsWhenAsked() {
        let grid = TileGrid.webMercator
        let area = AreaOfInterest(polygons: [[[Self.at(grid, 0.0513, 0.0717), Self.at(grid, 0.9613, 0.1111), Self.at(grid, 0.4917, 0.9419)]]])
        let tiling = AreaTiling(area: area, grid: grid, metatileSize: 8)
        var asked = 0
        let start = ContinuousClock.now
        let levels = tiling.levels(22...22) {
            asked += 1
            return asked > 5
        }
        let elapsed = ContinuousClock.now - start
        #expect(levels.isEmpty)
        #expect(asked > 5 && asked < 10, "stopped at the first answer of true")
        #expect(elapsed < .seconds(30), "generous: uncancelled, the count takes many minutes")
    }
}
