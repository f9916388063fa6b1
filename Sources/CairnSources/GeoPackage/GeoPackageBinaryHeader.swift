import CairnCore

/// The header GeoPackage puts in front of the WKB of every geometry (GeoPackage 1.3, §2.1.3):
/// magic "GP", version, flags, srs_id and an optional envelope.
public struct GeoPackageBinaryHeader: Sendable, Equatable {
    /// Which envelope follows the srs_id (flag bits 1-3).
    public enum EnvelopeType: UInt8, Sendable {
        case none = 0
        /// minx, maxx, miny, maxy
        case xy = 1
        /// xy + minz, maxz
        case xyz = 2
        /// xy + minm, maxm
        case xym = 3
        /// xy + z and m ranges
        case xyzm = 4

        /// Bytes the envelope takes.
        public var byteCount: Int {
            switch self {
            case .none: return 0
            case .xy: return 32
            case .xyz, .xym: return 48
            case .xyzm: return 64
            }
        }
    }

    public var version: UInt8
    /// Byte order of the srs_id and envelope (flag bit 0). The WKB carries its own.
    public var isLittleEndian: Bool
    public var envelopeType: EnvelopeType
    /// Flag bit 4: the geometry is empty (its WKB holds no points, the envelope may be NaN).
    public var isEmpty: Bool
    /// Flag bit 5: the blob is an ExtendedGeoPackageBinary (the WKB type may be an extension type).
    public var isExtended: Bool
    public var srsID: Int32
    /// The x/y envelope; nil when there is none or it is NaN. Z and M ranges are skipped.
    public var envelope: BoundingBox?
    /// The header's length: the WKB starts at this offset.
    public var byteCount: Int

    /// Reads the header at the start of `bytes`, checking every length against the buffer.
    public init(parsing bytes: UnsafeRawBufferPointer) throws(GeometryBlobError) {
        guard bytes.count >= 8 else {
            throw GeometryBlobError("GeoPackage geometry header needs 8 bytes, blob has \(bytes.count)")
        }
        guard bytes[0] == 0x47, bytes[1] == 0x50 else {
            throw GeometryBlobError("GeoPackage geometry blob does not start with magic 'GP' (found 0x\(hex(bytes[0]))\(hex(bytes[1])))")
        }
        version = bytes[2]
        let flags = bytes[3]
        isLittleEndian = flags & 0x01 != 0
        let envelopeCode = (flags >> 1) & 0x07
        guard let type = EnvelopeType(rawValue: envelopeCode) else {
            throw GeometryBlobError("GeoPackage geometry header has invalid envelope type \(envelopeCode), expected 0-4")
        }
        envelopeType = type
        isEmpty = flags & 0x10 != 0
        isExtended = flags & 0x20 != 0
        byteCount = 8 + type.byteCount
        guard bytes.count >= byteCount else {
            throw GeometryBlobError("GeoPackage geometry header with envelope type \(envelopeCode) needs \(byteCount) bytes, blob has \(bytes.count)")
        }
        let little = isLittleEndian
        func uint32(at offset: Int) -> UInt32 {
            let raw = bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
            return little ? UInt32(littleEndian: raw) : UInt32(bigEndian: raw)
        }
        func double(at offset: Int) -> Double {
            let raw = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            return Double(bitPattern: little ? UInt64(littleEndian: raw) : UInt64(bigEndian: raw))
        }
        srsID = Int32(bitPattern: uint32(at: 4))
        if type == .none {
            envelope = nil
        } else {
            let minX = double(at: 8), maxX = double(at: 16), minY = double(at: 24), maxY = double(at: 32)
            if minX.isNaN || maxX.isNaN || minY.isNaN || maxY.isNaN {
                envelope = nil
            } else {
                envelope = BoundingBox(minX: minX, minY: minY, maxX: maxX, maxY: maxY)
            }
        }
    }

    /// Reads the header at the start of `bytes`.
    public init(parsing bytes: [UInt8]) throws(GeometryBlobError) {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(GeometryBlobError) in try GeoPackageBinaryHeader(parsing: buffer) }
        }
        self = try result.get()
    }
}

private func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
}
