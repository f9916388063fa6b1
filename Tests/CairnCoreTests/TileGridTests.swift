import Testing
@testable import CairnCore

struct TileGridTests {
    let grid = TileGrid.webMercator

    @Test(arguments: [
        (0, 1), (1, 2), (14, 16384), (24, 1 << 24),
    ])
    func matrixSizeDoublesPerZoom(z: Int, size: Int) {
        #expect(grid.matrixSize(at: z).columns == size)
        #expect(grid.matrixSize(at: z).rows == size)
    }

    @Test func worldTileCoversTheWholeExtent() {
        let b = grid.bounds(of: TileCoordinate(z: 0, x: 0, y: 0))
        #expect(abs(b.minX + 20_037_508.342789244) < 1e-6)
        #expect(abs(b.maxY - 20_037_508.342789244) < 1e-6)
    }

    @Test(arguments: [
        (TileCoordinate(z: 0, x: 0, y: 0), true),
        (TileCoordinate(z: 1, x: 2, y: 0), false),
        (TileCoordinate(z: -1, x: 0, y: 0), false),
        (TileCoordinate(z: 25, x: 0, y: 0), false),
        (TileCoordinate(z: 14, x: 16383, y: 16383), true),
        (TileCoordinate(z: 14, x: 0, y: -1), false),
    ])
    func containsChecksRanges(tile: TileCoordinate, expected: Bool) {
        #expect(grid.contains(tile) == expected)
    }

    @Test func centralHaiPhongTileAtZoom14() {
        // 106.6826 E, 20.8561 N (Hải Phòng centre) lies in z14 tile 13047/7221 (the OSM slippy-map formula gives x 13047.24, y 7221.13).
        let p = WebMercator.project(longitude: 106.6826, latitude: 20.8561)
        let range = grid.tileRange(covering: BoundingBox(minX: p.x, minY: p.y, maxX: p.x, maxY: p.y), at: 14)
        #expect(range?.minX == 13047)
        #expect(range?.minY == 7221)
    }

    @Test func tileRangeIsClampedAndCounts() {
        let range = grid.tileRange(covering: grid.extent.expanded(by: 1e6), at: 2)
        #expect(range?.count == 16)
        #expect(Array(range!).count == 16)
    }

    @Test func metatileIsClampedAtLowZoom() {
        let m = Metatile(containing: TileCoordinate(z: 1, x: 1, y: 1), size: 8, in: grid)
        #expect(m.origin == TileCoordinate(z: 1, x: 0, y: 0))
        #expect(m.columns == 2 && m.rows == 2)
        #expect(m.bounds(in: grid) == grid.extent)
        let m14 = Metatile(containing: TileCoordinate(z: 14, x: 13047, y: 7213), size: 4, in: grid)
        #expect(m14.origin == TileCoordinate(z: 14, x: 13044, y: 7212))
        #expect(m14.tiles.count == 16)
        #expect(m14.contains(TileCoordinate(z: 14, x: 13047, y: 7215)))
    }

    @Test func tileCoordinateParsing() {
        #expect(TileCoordinate(parsing: "14/13047/7213") == TileCoordinate(z: 14, x: 13047, y: 7213))
        #expect(TileCoordinate(parsing: "14/13047") == nil)
        #expect(TileCoordinate(parsing: "a/b/c") == nil)
    }

    @Test func webMercatorRoundTrip() {
        let p = WebMercator.project(longitude: 106.6826, latitude: 20.8561)
        let back = WebMercator.unproject(p)
        #expect(abs(back.longitude - 106.6826) < 1e-9)
        #expect(abs(back.latitude - 20.8561) < 1e-9)
    }

    @Test func crsParsing() {
        #expect(CRSDefinition(parsing: "EPSG:9210") == .epsg(9210))
        #expect(CRSDefinition(parsing: "urn:ogc:def:crs:EPSG::4326") == .epsg(4326))
        #expect(CRSDefinition(parsing: "urn:ogc:def:crs:OGC:1.3:CRS84") == .epsg(4326))
        #expect(CRSDefinition(parsing: "+proj=longlat") == .text("+proj=longlat"))
    }
}

struct BuiltInGridTests {
    @Test func webMercatorScaleDenominatorsAreTheWellKnownOnes() {
        // OGC WebMercatorQuad: level 0 is 1:559082264.0287178.
        #expect(abs(TileGrid.webMercator.scaleDenominator(at: 0) - 559_082_264.028_717_8) < 1e-3)
        #expect(TileGrid.webMercator.isQuadtree)
    }

    @Test func worldCRS84QuadHasTwoTilesAtLevelZero() {
        let grid = TileGrid.worldCRS84Quad
        #expect(grid.matrixSize(at: 0).columns == 2 && grid.matrixSize(at: 0).rows == 1)
        #expect(grid.matrixSize(at: 3).columns == 16 && grid.matrixSize(at: 3).rows == 8)
        // OGC WorldCRS84Quad: level 0 is 1:279541132.0143589.
        #expect(abs(grid.scaleDenominator(at: 0) - 279_541_132.014_358_9) < 1e-3)
    }

    @Test func vn2000GridCoversHaiPhong() {
        let grid = TileGrid.vn2000HaiPhong
        // The districts' extent in EPSG:9210 (data README): 567609–707728 E, 2227559–2325544 N.
        let districts = BoundingBox(minX: 567_609, minY: 2_227_559, maxX: 707_728, maxY: 2_325_544)
        #expect(grid.extent.contains(Point(districts.minX, districts.minY)))
        #expect(grid.extent.contains(Point(districts.maxX, districts.maxY)))
        #expect(grid.matrixSize(at: 0).columns == 1 && grid.matrixSize(at: 13).rows == 8192)
        #expect(grid.isQuadtree)
    }
}

struct JSONStringTests {
    @Test func escapesWhatJSONRequires() {
        #expect(JSONString.quoted("a\"b\\c\nd\u{1}") == #""a\"b\\c\nd\u0001""#)
        #expect(JSONString.quoted("<b>&'") == #""<b>&'""#)
        #expect(JSONString.quoted("Hải Phòng") == "\"Hải Phòng\"")
    }

    @Test func htmlSafeLiteralsCannotCloseAScript() {
        #expect(JSONString.quoted("</script><b>&'", htmlSafe: true) == #""\u003c/script\u003e\u003cb\u003e\u0026\u0027""#)
        #expect(JSONString.quoted("\u{2028}", htmlSafe: true) == #""\u2028""#)
    }
}
