import CairnCore
import Testing
@testable import CairnSources

struct WKBDecoderTests {
    typealias B = GeoPackageTestBytes
    let square = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 0.0)]
    let hole = [(2.0, 2.0), (2.0, 4.0), (4.0, 4.0), (4.0, 2.0), (2.0, 2.0)]

    func pts(_ list: [(Double, Double)]) -> [Point] { list.map { Point($0.0, $0.1) } }

    @Test(arguments: [true, false])
    func point(littleEndian: Bool) throws {
        #expect(try WKBDecoder.decode(B.point(106.5, 20.8, littleEndian: littleEndian)) == .points([Point(106.5, 20.8)]))
    }

    @Test(arguments: [true, false])
    func lineString(littleEndian: Bool) throws {
        let line = [(1.0, 2.0), (3.0, 4.0), (5.0, 6.0)]
        #expect(try WKBDecoder.decode(B.lineString(line, littleEndian: littleEndian)) == .lines([pts(line)]))
    }

    @Test(arguments: [true, false])
    func polygonWithHole(littleEndian: Bool) throws {
        let geometry = try WKBDecoder.decode(B.polygon([square, hole], littleEndian: littleEndian))
        #expect(geometry == .polygons([[pts(square), pts(hole)]]))
    }

    @Test func multiPoint() throws {
        let wkb = B.multi(type: 4, [B.point(1, 2), B.point(3, 4, littleEndian: false)])
        #expect(try WKBDecoder.decode(wkb) == .points([Point(1, 2), Point(3, 4)]))
    }

    @Test func multiLineString() throws {
        let a = [(0.0, 0.0), (1.0, 1.0)], b = [(5.0, 5.0), (6.0, 7.0), (8.0, 9.0)]
        let wkb = B.multi(type: 5, [B.lineString(a), B.lineString(b, littleEndian: false)], littleEndian: false)
        #expect(try WKBDecoder.decode(wkb) == .lines([pts(a), pts(b)]))
    }

    @Test func multiPolygonWithHole() throws {
        let other = [(20.0, 20.0), (30.0, 20.0), (30.0, 30.0), (20.0, 20.0)]
        let wkb = B.multi(type: 6, [B.polygon([square, hole]), B.polygon([other])])
        #expect(try WKBDecoder.decode(wkb) == .polygons([[pts(square), pts(hole)], [pts(other)]]))
    }

    @Test func geometryCollectionKeepsHighestDimension() throws {
        let wkb = B.multi(type: 7, [B.point(1, 1), B.polygon([square]), B.lineString([(0, 0), (1, 1)])])
        #expect(try WKBDecoder.decode(wkb) == .polygons([[pts(square)]]))
        let lines = B.multi(type: 7, [B.point(1, 1), B.lineString([(0, 0), (1, 1)])])
        #expect(try WKBDecoder.decode(lines) == .lines([pts([(0, 0), (1, 1)])]))
        #expect(try WKBDecoder.decode(B.multi(type: 7, [])) == .points([]))
    }

    /// ISO codes: Z = +1000, M = +2000, ZM = +3000; EWKB: high-bit flags.
    @Test(arguments: [
        (UInt32(1001), 1), (UInt32(2001), 1), (UInt32(3001), 2),
        (UInt32(0x8000_0001), 1), (UInt32(0x4000_0001), 1), (UInt32(0xC000_0001), 2),
    ])
    func pointDropsZAndM(type: UInt32, extra: Int) throws {
        #expect(try WKBDecoder.decode(B.point(7, 8, type: type, extra: extra)) == .points([Point(7, 8)]))
    }

    @Test(arguments: [(UInt32(1003), 1), (UInt32(2003), 1), (UInt32(3003), 2), (UInt32(0x8000_0003), 1)])
    func polygonDropsZAndM(type: UInt32, extra: Int) throws {
        let geometry = try WKBDecoder.decode(B.polygon([square, hole], type: type, extra: extra, littleEndian: false))
        #expect(geometry == .polygons([[pts(square), pts(hole)]]))
    }

    @Test func multiPolygonZ() throws {
        let wkb = B.multi(type: 1006, [B.polygon([square], type: 1003, extra: 1)])
        #expect(try WKBDecoder.decode(wkb) == .polygons([[pts(square)]]))
    }

    @Test func ewkbWithSRID() throws {
        var b = B()
        b.wkbHeader(type: 0x2000_0001)
        b.uint32(4326)
        b.points([(1, 2)])
        #expect(try WKBDecoder.decode(b.bytes) == .points([Point(1, 2)]))
    }

    @Test func emptyGeometries() throws {
        #expect(try WKBDecoder.decode(B.point(.nan, .nan)) == .points([]))
        #expect(try WKBDecoder.decode(B.lineString([])) == .lines([]))
        #expect(try WKBDecoder.decode(B.polygon([])) == .polygons([]))
        #expect(try WKBDecoder.decode(B.multi(type: 6, [])) == .polygons([]))
    }

    @Test func rejectsTruncatedInputAtEveryLength() {
        let wkb = B.multi(type: 6, [B.polygon([square, hole]), B.polygon([square])])
        for length in 0..<wkb.count {
            #expect(throws: GeometryBlobError.self) { try WKBDecoder.decode(Array(wkb.prefix(length))) }
        }
    }

    @Test func rejectsHugeCountsWithoutAllocating() {
        var b = B()
        b.wkbHeader(type: 2)
        b.uint32(0xFFFF_FFFF)
        b.points([(1, 2)])
        #expect(throws: GeometryBlobError.self) { try WKBDecoder.decode(b.bytes) }
    }

    @Test func rejectsBadByteOrderTypeAndMemberType() {
        var badOrder = B.point(1, 2)
        badOrder[0] = 7
        #expect(throws: GeometryBlobError.self) { try WKBDecoder.decode(badOrder) }
        #expect(throws: GeometryBlobError.self) { try WKBDecoder.decode(B.point(1, 2, type: 4001)) }
        #expect(throws: GeometryBlobError.self) { try WKBDecoder.decode(B.multi(type: 6, [B.point(1, 2)])) }
    }

    @Test func reportsCurvesAsUnsupported() throws {
        let error = try #require(throws: GeometryBlobError.self) {
            try WKBDecoder.decode(B.lineString([(0, 0), (1, 1), (2, 0)], type: 8))
        }
        #expect(error.isUnsupported)
    }

    @Test func rejectsDeepNesting() {
        var wkb = B.point(1, 1)
        for _ in 0..<40 { wkb = B.multi(type: 7, [wkb]) }
        #expect(throws: GeometryBlobError.self) { try WKBDecoder.decode(wkb) }
    }

    /// Every byte of a header + multipolygon blob overwritten with awkward values: each decode
    /// either succeeds or throws, and never reads out of bounds.
    @Test func survivesEveryByteCorrupted() {
        let blob = B.gpkgHeader(envelopeType: 1, envelope: [0, 10, 0, 10])
            + B.multi(type: 6, [B.polygon([square, hole]), B.polygon([square], type: 1003, extra: 1)])
        var decoded = 0
        for position in blob.indices {
            for value: UInt8 in [0x00, 0x01, 0x07, 0x7F, 0x80, 0xFF] {
                var corrupt = blob
                corrupt[position] = value
                guard let header = try? GeoPackageBinaryHeader(parsing: corrupt), header.byteCount <= corrupt.count else { continue }
                if (try? WKBDecoder.decode(Array(corrupt[header.byteCount...]))) != nil { decoded += 1 }
            }
        }
        #expect(decoded > 0)
    }
}
