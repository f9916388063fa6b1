import CairnCore

/// Bounds-checked reads from the bytes of one shapefile component (.shp, .shx, .dbf).
///
/// Every multi-byte read goes through ``require(_:_:_:)`` first, so a truncated or corrupt file
/// throws ``SourceError`` instead of trapping; the unchecked loads assume that check was made.
/// Only valid inside the `withUnsafeBytes` call that produced `raw`.
struct ShapefileByteView {
    let raw: UnsafeRawBufferPointer
    let path: String

    var count: Int { raw.count }

    /// Throws unless `offset..<offset+length` lies inside the file.
    @inline(__always)
    func require(_ offset: Int, _ length: Int, _ what: @autoclosure () -> String) throws {
        guard offset >= 0, length >= 0, offset <= raw.count, length <= raw.count - offset else {
            throw SourceError(.malformed, path: path,
                              "\(what()): needs bytes \(offset)..<\(offset &+ length) but the file has only \(raw.count) bytes (truncated or corrupt)")
        }
    }

    @inline(__always)
    func uint8(_ offset: Int) -> UInt8 { raw[offset] }

    @inline(__always)
    func uint16LE(_ offset: Int) -> UInt16 {
        UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    @inline(__always)
    func int32LE(_ offset: Int) -> Int32 {
        Int32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self))
    }

    @inline(__always)
    func uint32LE(_ offset: Int) -> UInt32 {
        UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always)
    func int32BE(_ offset: Int) -> Int32 {
        Int32(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self))
    }

    @inline(__always)
    func doubleLE(_ offset: Int) -> Double {
        Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
    }

    @inline(__always)
    func point(_ offset: Int) -> Point {
        Point(doubleLE(offset), doubleLE(offset + 8))
    }

    /// `count` points of 16 bytes each from `offset`; the caller has checked the range.
    func points(_ offset: Int, _ count: Int) -> [Point] {
        [Point](unsafeUninitializedCapacity: count) { buffer, initialized in
            var position = offset
            for index in 0..<count {
                buffer[index] = point(position)
                position += 16
            }
            initialized = count
        }
    }

    /// The record's box (xmin, ymin, xmax, ymax), as stored before MultiPoint/PolyLine/Polygon data.
    @inline(__always)
    func box(_ offset: Int) -> BoundingBox {
        BoundingBox(minX: doubleLE(offset), minY: doubleLE(offset + 8), maxX: doubleLE(offset + 16), maxY: doubleLE(offset + 24))
    }
}
