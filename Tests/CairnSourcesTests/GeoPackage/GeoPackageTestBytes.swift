/// Builds WKB and GeoPackage geometry blobs byte by byte for the GeoPackage tests.
struct GeoPackageTestBytes {
    var bytes: [UInt8] = []
    var littleEndian = true

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func uint32(_ value: UInt32) {
        let ordered = littleEndian ? value.littleEndian : value.bigEndian
        withUnsafeBytes(of: ordered) { bytes.append(contentsOf: $0) }
    }

    mutating func double(_ value: Double) {
        let bits = value.bitPattern
        let ordered = littleEndian ? bits.littleEndian : bits.bigEndian
        withUnsafeBytes(of: ordered) { bytes.append(contentsOf: $0) }
    }

    /// Byte order marker and type code, switching this builder to that byte order.
    mutating func wkbHeader(type: UInt32, littleEndian: Bool = true) {
        self.littleEndian = littleEndian
        byte(littleEndian ? 1 : 0)
        uint32(type)
    }

    /// Coordinates with `extra` ordinates (Z and/or M) after x and y, filled with 99.
    mutating func points(_ points: [(Double, Double)], extra: Int = 0) {
        for (x, y) in points {
            double(x)
            double(y)
            for _ in 0..<extra { double(99) }
        }
    }

    static func point(_ x: Double, _ y: Double, type: UInt32 = 1, extra: Int = 0, littleEndian: Bool = true) -> [UInt8] {
        var b = GeoPackageTestBytes()
        b.wkbHeader(type: type, littleEndian: littleEndian)
        b.points([(x, y)], extra: extra)
        return b.bytes
    }

    static func lineString(_ points: [(Double, Double)], type: UInt32 = 2, extra: Int = 0, littleEndian: Bool = true) -> [UInt8] {
        var b = GeoPackageTestBytes()
        b.wkbHeader(type: type, littleEndian: littleEndian)
        b.uint32(UInt32(points.count))
        b.points(points, extra: extra)
        return b.bytes
    }

    static func polygon(_ rings: [[(Double, Double)]], type: UInt32 = 3, extra: Int = 0, littleEndian: Bool = true) -> [UInt8] {
        var b = GeoPackageTestBytes()
        b.wkbHeader(type: type, littleEndian: littleEndian)
        b.uint32(UInt32(rings.count))
        for ring in rings {
            b.uint32(UInt32(ring.count))
            b.points(ring, extra: extra)
        }
        return b.bytes
    }

    static func multi(type: UInt32, _ members: [[UInt8]], littleEndian: Bool = true) -> [UInt8] {
        var b = GeoPackageTestBytes()
        b.wkbHeader(type: type, littleEndian: littleEndian)
        b.uint32(UInt32(members.count))
        for member in members { b.bytes += member }
        return b.bytes
    }

    /// A GeoPackage header: "GP", version 0, flags, srs_id, then `envelope` doubles.
    static func gpkgHeader(envelopeType: UInt8, empty: Bool = false, littleEndian: Bool = true, srsID: UInt32 = 4326, envelope: [Double]) -> [UInt8] {
        var b = GeoPackageTestBytes()
        b.littleEndian = littleEndian
        b.bytes = [0x47, 0x50, 0]
        b.byte((littleEndian ? 1 : 0) | (envelopeType << 1) | (empty ? 0x10 : 0))
        b.uint32(srsID)
        for value in envelope { b.double(value) }
        return b.bytes
    }
}
