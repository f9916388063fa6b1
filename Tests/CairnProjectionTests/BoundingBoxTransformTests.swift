import CairnCore
import CairnProj
import CairnProjection
import Testing
import CairnTestSupport

struct BoundingBoxTransformTests {
    /// The bbox of hp_districts_vn2000 in EPSG:9210.
    let districts = BoundingBox(minX: 567609.4, minY: 2227559.4, maxX: 707727.7, maxY: 2325543.8)

    @Test(.interop) func densifiedBoxCoversTheEdges() throws {
        let box = try transformBoundingBox(districts, from: .epsg(9210), to: .webMercator)
        let fine = try transformBoundingBox(districts, from: .epsg(9210), to: .webMercator, densifyPoints: 1001)
        // Corners checked against cs2cs.
        let corners = try CS2CS.run("EPSG:9210", "EPSG:3857", [
            (districts.minX, districts.minY), (districts.minX, districts.maxY),
            (districts.maxX, districts.minY), (districts.maxX, districts.maxY),
        ])
        for corner in corners {
            #expect(box.expanded(by: 0.001).contains(Point(corner.0, corner.1)))
        }
        // 21 points per edge already reach the true extent of the curved edges to within a few cm.
        #expect(abs(box.minX - fine.minX) < 0.05 && abs(box.maxX - fine.maxX) < 0.05)
        #expect(abs(box.minY - fine.minY) < 0.05 && abs(box.maxY - fine.maxY) < 0.05)
        // The README's lon/lat extent of the layer, projected, lies inside.
        let lonLat = WebMercator.project(BoundingBox(minX: 106.39856, minY: 20.12704, maxX: 107.74989, maxY: 21.02215))
        #expect(abs(box.minX - lonLat.minX) < 10 && abs(box.maxY - lonLat.maxY) < 10)
    }

    @Test func roundTripContainsTheOriginal() throws {
        let tile = BoundingBox(minX: 11_877_000, minY: 2_372_000, maxX: 11_879_446, maxY: 2_374_446)
        let native = try transformBoundingBox(tile, from: .webMercator, to: .epsg(9210))
        let back = try transformBoundingBox(native, from: .epsg(9210), to: .webMercator)
        #expect(back.expanded(by: 0.01).contains(Point(tile.minX, tile.minY)))
        #expect(back.expanded(by: 0.01).contains(Point(tile.maxX, tile.maxY)))
        #expect(back.width < tile.width * 1.03)  // grid convergence rotates the box slightly
    }

    @Test func webMercatorFastPathAndTrivialCases() throws {
        let lonLat = BoundingBox(minX: 106.4, minY: 20.1, maxX: 107.8, maxY: 21.05)
        #expect(try transformBoundingBox(lonLat, from: .wgs84, to: .webMercator) == WebMercator.project(lonLat))
        #expect(try transformBoundingBox(.empty, from: .epsg(9210), to: .webMercator).isEmpty)
        #expect(try transformBoundingBox(districts, from: .epsg(9210), to: .epsg(9210)) == districts)
    }

    @Test func boxOutsideTheDomainThrows() throws {
        let beyondThePole = BoundingBox(minX: 0, minY: 95, maxX: 10, maxY: 100)
        let error = try #require(throws: ProjError.self) {
            try transformBoundingBox(beyondThePole, from: .wgs84, to: .epsg(3395))
        }
        #expect(error.action.contains("bounding box"))
        #expect(throws: ProjError.self) {
            try transformBoundingBox(districts, from: .epsg(999_999), to: .webMercator)
        }
    }
}
