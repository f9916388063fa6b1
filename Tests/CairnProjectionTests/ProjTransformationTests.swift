import CairnCore
import CairnProj
import CairnProjection
import Foundation
import Testing
import CairnTestSupport

/// Control points checked against PROJ's own `cs2cs`.
struct ProjTransformationTests {
    /// Lon/lat points around Hai Phong (the corners of its bbox and the city centre).
    static let lonLat: [Point] = [
        Point(106.6826, 20.8561), Point(106.40088, 20.12715), Point(107.7386, 21.02121), Point(106.55, 20.6),
    ]

    /// Compares our transformation with cs2cs. `sourceLatLon`/`targetLatLon` say the CRS's
    /// official axis order is lat, lon (EPSG:4326), which cs2cs uses and we normalize away.
    func expectAgreesWithCS2CS(
        _ source: Int, _ target: Int, _ points: [Point], tolerance: Double,
        sourceLatLon: Bool = false, targetLatLon: Bool = false
    ) throws {
        let inputs = points.map { sourceLatLon ? ($0.y, $0.x) : ($0.x, $0.y) }
        let reference = try CS2CS.run(
            "EPSG:\(source)", "EPSG:\(target)", inputs, format: targetLatLon ? "%.12f" : "%.6f")
        try #require(reference.count == points.count)

        let transformation = try ProjTransformation(from: .epsg(source), to: .epsg(target))
        var batch = points
        try transformation.transform(&batch)
        for (index, point) in points.enumerated() {
            let expected = targetLatLon ? Point(reference[index].1, reference[index].0) : Point(reference[index].0, reference[index].1)
            let single = try transformation.transform(point)
            #expect(abs(batch[index].x - expected.x) <= tolerance && abs(batch[index].y - expected.y) <= tolerance,
                "EPSG:\(source)->\(target) \(point): got \(batch[index]), cs2cs \(expected)")
            #expect(single == batch[index])
        }
    }

    @Test(.interop) func wgs84ToWebMercator() throws {
        try expectAgreesWithCS2CS(4326, 3857, Self.lonLat, tolerance: 0.001, sourceLatLon: true)
    }

    @Test(.interop) func wgs84ToVN2000TM3() throws {
        try expectAgreesWithCS2CS(4326, 9210, Self.lonLat, tolerance: 0.001, sourceLatLon: true)
    }

    @Test(.interop) func vn2000TM3ToWebMercator() throws {
        let points = [
            Point(597000, 2306000), Point(567609.4, 2227559.4), Point(707727.7, 2325543.8), Point(635967.8, 2324410.8),
        ]
        try expectAgreesWithCS2CS(9210, 3857, points, tolerance: 0.001)
    }

    @Test(.interop) func vn2000UTM48ToWebMercator() throws {
        let points = [Point(651802.8, 2228275.1), Point(785408.9, 2319772.1), Point(700000, 2300000)]
        try expectAgreesWithCS2CS(3405, 3857, points, tolerance: 0.001)
    }

    @Test(.interop) func vn2000TM3ToWGS84InDegrees() throws {
        let points = [Point(597000, 2306000), Point(567609.4, 2227559.4), Point(707727.7, 2325543.8)]
        try expectAgreesWithCS2CS(9210, 4326, points, tolerance: 1e-9, targetLatLon: true)
    }

    @Test(.interop) func webMercatorFastPathMatchesPROJ() throws {
        let fast = try Reprojector(from: .wgs84, to: .webMercator)
            .reproject([Feature(geometry: .points(Self.lonLat))]).features
        let reference = try CS2CS.run("EPSG:4326", "EPSG:3857", Self.lonLat.map { ($0.y, $0.x) })
        guard case .points(let projected) = try #require(fast.first).geometry else {
            Issue.record("expected points")
            return
        }
        for (index, point) in projected.enumerated() {
            #expect(distance(point, Point(reference[index].0, reference[index].1)) < 0.001)
        }
    }

    @Test func failedPointThrowsWithContext() throws {
        let transformation = try ProjTransformation(from: .wgs84, to: .webMercator)
        let error = try #require(throws: ProjError.self) { try transformation.transform(Point(0, 95)) }
        #expect(error.crs == "EPSG:4326 -> EPSG:3857")
        #expect(error.message.contains("Invalid latitude"))
        var points = [Point(1, 1), Point(0, 95)]
        let batchError = try #require(throws: ProjError.self) { try transformation.transform(&points) }
        #expect(batchError.action.contains("index 1"))
        #expect(points[0].x.isFinite && !points[1].x.isFinite)
    }
}

/// The ESRI `.prj` of the shapefiles: no EPSG code, no TOWGS84.
struct EsriPrjTests {
    func prjText() throws -> String {
        try String(contentsOf: TestPaths.districtsPrj, encoding: .utf8)
    }

    @Test func identifiesAsEPSG9210() throws {
        let context = ProjContext.forCurrentThread()
        #expect(context.identifyEPSG(.text(try prjText())) == 9210)
        #expect(context.identifyEPSG(.epsg(3405)) == 3405)
        #expect(context.identifyEPSG(.text("not a crs")) == nil)
        let resolved = try ProjCRS.resolving(try prjText(), context: context)
        #expect(resolved.definition == "EPSG:9210")
        #expect(ProjContext.describe(.text(try prjText())) == "VN-2000_TM-3_105-45 (WKT)")
    }

    @Test func transformsLikeEPSG9210() throws {
        let points = [Point(597000, 2306000), Point(567609.4, 2227559.4), Point(707727.7, 2325543.8)]
        var fromPrj = points
        var fromCode = points
        try ProjTransformation(from: .text(try prjText()), to: .webMercator).transform(&fromPrj)
        try ProjTransformation(from: .epsg(9210), to: .webMercator).transform(&fromCode)
        for index in points.indices {
            #expect(distance(fromPrj[index], fromCode[index]) < 0.001)
        }
    }

    /// Treating VN-2000 as WGS 84 (a zero datum shift) puts Hai Phong about 224 m off.
    @Test func datumShiftMovesPointsAbout224Metres() throws {
        let shiftFree = CRSDefinition.text(
            "+proj=tmerc +lat_0=0 +lon_0=105.75 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs")
        for point in [Point(597000, 2306000), Point(640000, 2290000)] {
            let shifted = try ProjTransformation(from: .text(try prjText()), to: .wgs84).transform(point)
            let unshifted = try ProjTransformation(from: shiftFree, to: .wgs84).transform(point)
            let metresPerDegree = 111_320.0
            let dx = (unshifted.x - shifted.x) * metresPerDegree * cos(shifted.y * .pi / 180)
            let dy = (unshifted.y - shifted.y) * metresPerDegree
            let offset = (dx * dx + dy * dy).squareRoot()
            #expect(offset > 200 && offset < 250, "offset \(offset) m at \(point)")
        }
    }
}

/// Unknown and malformed CRS definitions fail with a message that names them.
struct ProjErrorTests {
    @Test func unknownEPSGCode() throws {
        let error = try #require(throws: ProjError.self) {
            try ProjTransformation(from: .epsg(999_999), to: .webMercator)
        }
        #expect(error.crs == "EPSG:999999")
        #expect(error.errno != 0)
        #expect(error.message.contains("crs not found"))
        #expect(error.description.contains("EPSG:999999"))
        #expect(error.description.contains("creating CRS"))
    }

    @Test func garbageWKT() throws {
        let wkt = "PROJCS[\"Broken\",GEOGCS[\"nothing\",UNIT[\"Degree\""
        let error = try #require(throws: ProjError.self) {
            try ProjTransformation(from: .text(wkt), to: .webMercator)
        }
        #expect(error.crs == "Broken (WKT)")
        #expect(error.message.contains("proj_create: missing"))
        let plain = try #require(throws: ProjError.self) {
            try ProjTransformation(from: .wgs84, to: .text("this is not a CRS"))
        }
        #expect(plain.crs == "this is not a CRS")
        #expect(plain.errno != 0)
        #expect(plain.message.contains("unrecognized format"))
    }

    @Test func nonCRSDefinitionIsRejected() throws {
        let error = try #require(throws: ProjError.self) {
            try ProjCRS("+proj=merc", context: .forCurrentThread())
        }
        #expect(error.message.contains("not a coordinate reference system"))
    }
}
