import CairnCore
import Testing
@testable import CairnSources

struct GeoPackageBinaryHeaderTests {
    @Test(arguments: [
        (UInt8(0), 0), (UInt8(1), 4), (UInt8(2), 6), (UInt8(3), 6), (UInt8(4), 8),
    ])
    func readsEveryEnvelopeType(type: UInt8, doubles: Int) throws {
        let envelope = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0].prefix(doubles)
        let wkb = GeoPackageTestBytes.point(1.5, 3.5)
        let blob = GeoPackageTestBytes.gpkgHeader(envelopeType: type, envelope: Array(envelope)) + wkb
        let header = try GeoPackageBinaryHeader(parsing: blob)
        #expect(header.envelopeType.rawValue == type)
        #expect(header.byteCount == 8 + doubles * 8)
        #expect(header.srsID == 4326)
        #expect(header.isLittleEndian)
        #expect(!header.isEmpty)
        if type == 0 {
            #expect(header.envelope == nil)
        } else {
            // minx, maxx, miny, maxy order in the blob
            #expect(header.envelope == BoundingBox(minX: 1, minY: 3, maxX: 2, maxY: 4))
        }
        let geometry = try WKBDecoder.decode(Array(blob[header.byteCount...]))
        #expect(geometry == .points([Point(1.5, 3.5)]))
    }

    @Test func readsBigEndianHeader() throws {
        let blob = GeoPackageTestBytes.gpkgHeader(envelopeType: 1, littleEndian: false, srsID: 9210, envelope: [10, 20, 30, 40])
        let header = try GeoPackageBinaryHeader(parsing: blob)
        #expect(!header.isLittleEndian)
        #expect(header.srsID == 9210)
        #expect(header.envelope == BoundingBox(minX: 10, minY: 30, maxX: 20, maxY: 40))
    }

    @Test func readsEmptyFlagAndNaNEnvelope() throws {
        let blob = GeoPackageTestBytes.gpkgHeader(envelopeType: 1, empty: true, envelope: [.nan, .nan, .nan, .nan])
        let header = try GeoPackageBinaryHeader(parsing: blob)
        #expect(header.isEmpty)
        #expect(header.envelope == nil)
    }

    @Test func readsVersionAndExtendedFlag() throws {
        var blob = GeoPackageTestBytes.gpkgHeader(envelopeType: 0, envelope: [])
        blob[2] = 1
        blob[3] |= 0x20
        let header = try GeoPackageBinaryHeader(parsing: blob)
        #expect(header.version == 1)
        #expect(header.isExtended)
    }

    @Test func rejectsWrongMagic() {
        var blob = GeoPackageTestBytes.gpkgHeader(envelopeType: 0, envelope: [])
        blob[0] = 0x58
        #expect(throws: GeometryBlobError.self) { try GeoPackageBinaryHeader(parsing: blob) }
    }

    @Test func rejectsInvalidEnvelopeType() {
        let blob = GeoPackageTestBytes.gpkgHeader(envelopeType: 5, envelope: [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(throws: GeometryBlobError.self) { try GeoPackageBinaryHeader(parsing: blob) }
    }

    @Test(arguments: [0, 3, 7, 8, 20, 39])
    func rejectsTruncatedHeader(length: Int) {
        let blob = GeoPackageTestBytes.gpkgHeader(envelopeType: 1, envelope: [1, 2, 3, 4])
        #expect(throws: GeometryBlobError.self) { try GeoPackageBinaryHeader(parsing: Array(blob.prefix(length))) }
    }
}
