import CairnCore

/// Decodes Well-Known Binary into a `Geometry`, dropping Z and M.
///
/// Reads both byte orders, OGC/ISO type codes (Z = +1000, M = +2000, ZM = +3000) and
/// EWKB flags (0x80000000 Z, 0x40000000 M, 0x20000000 SRID). Every count is checked
/// against the bytes left before anything is allocated, so corrupt input throws instead
/// of crashing or allocating gigabytes. A GeometryCollection is flattened best-effort:
/// members of its highest dimension are kept (polygons over lines over points).
public enum WKBDecoder {
    /// Collections nested deeper than this are rejected (a guard against stack exhaustion).
    static let maximumDepth = 32

    /// Decodes the WKB geometry at the start of `bytes`.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(GeometryBlobError) -> Geometry {
        var cursor = WKBCursor(bytes)
        var parts = GeometryParts()
        let kind = try cursor.readGeometry(into: &parts, depth: 0)
        return parts.geometry(preferring: kind)
    }

    /// Decodes the WKB geometry at the start of `bytes`.
    public static func decode(_ bytes: [UInt8]) throws(GeometryBlobError) -> Geometry {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(GeometryBlobError) in try decode(buffer) }
        }
        return try result.get()
    }
}

/// The points, lines and polygons a WKB geometry holds, gathered across multi and collection members.
struct GeometryParts {
    var points: [Point] = []
    var lines: [[Point]] = []
    var polygons: [[[Point]]] = []

    /// `kind` is what the top-level WKB type declares; it decides the shape of an empty geometry.
    func geometry(preferring kind: GeometryKind) -> Geometry {
        if !polygons.isEmpty { return .polygons(polygons) }
        if !lines.isEmpty { return .lines(lines) }
        if !points.isEmpty { return .points(points) }
        switch kind {
        case .point: return .points([])
        case .lineString: return .lines([])
        case .polygon: return .polygons([])
        }
    }
}

/// A bounds-checked read position in a WKB buffer.
struct WKBCursor {
    let bytes: UnsafeRawBufferPointer
    var offset = 0
    var littleEndian = true

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var remaining: Int { bytes.count - offset }

    @inline(__always)
    mutating func require(_ count: Int, _ what: @autoclosure () -> String) throws(GeometryBlobError) {
        guard count >= 0, count <= remaining else {
            throw GeometryBlobError("WKB \(what()) needs \(count) bytes, \(remaining) left at offset \(offset)")
        }
    }

    @inline(__always)
    mutating func readUInt32() throws(GeometryBlobError) -> UInt32 {
        try require(4, "integer")
        let raw = bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        offset += 4
        return littleEndian ? UInt32(littleEndian: raw) : UInt32(bigEndian: raw)
    }

    /// Reads a count and checks that `count * minimumBytesEach` bytes are left.
    @inline(__always)
    mutating func readCount(minimumBytesEach: Int, _ what: String) throws(GeometryBlobError) -> Int {
        let count = Int(try readUInt32())
        guard count <= remaining / minimumBytesEach else {
            throw GeometryBlobError("WKB \(what) count \(count) needs at least \(count * minimumBytesEach) bytes, \(remaining) left at offset \(offset)")
        }
        return count
    }

    /// Reads `count` coordinates of `dimensions` doubles each, keeping x and y.
    @inline(__always)
    mutating func readPoints(_ count: Int, dimensions: Int) throws(GeometryBlobError) -> [Point] {
        let stride = dimensions * 8
        try require(count * stride, "\(count) points")
        guard count > 0, let base = bytes.baseAddress else { return [] }
        let start = offset
        let little = littleEndian
        offset += count * stride
        return [Point](unsafeUninitializedCapacity: count) { buffer, initialized in
            var at = start
            for i in 0..<count {
                let rawX = base.loadUnaligned(fromByteOffset: at, as: UInt64.self)
                let rawY = base.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self)
                let x = Double(bitPattern: little ? UInt64(littleEndian: rawX) : UInt64(bigEndian: rawX))
                let y = Double(bitPattern: little ? UInt64(littleEndian: rawY) : UInt64(bigEndian: rawY))
                buffer.initializeElement(at: i, to: Point(x, y))
                at += stride
            }
            initialized = count
        }
    }

    /// Reads one geometry (its byte order, type and body) and adds its parts.
    /// Returns the kind the type code declares.
    mutating func readGeometry(into parts: inout GeometryParts, depth: Int) throws(GeometryBlobError) -> GeometryKind {
        guard depth <= WKBDecoder.maximumDepth else {
            throw GeometryBlobError("WKB geometry collections nested deeper than \(WKBDecoder.maximumDepth)")
        }
        try require(1, "byte order")
        switch bytes[offset] {
        case 0: littleEndian = false
        case 1: littleEndian = true
        case let other: throw GeometryBlobError("WKB byte order \(other) at offset \(offset), expected 0 or 1")
        }
        offset += 1
        let rawType = try readUInt32()
        var hasZ = rawType & 0x8000_0000 != 0
        var hasM = rawType & 0x4000_0000 != 0
        let hasSRID = rawType & 0x2000_0000 != 0
        let isoType = rawType & 0x0FFF_FFFF
        switch isoType / 1000 {
        case 0: break
        case 1: hasZ = true
        case 2: hasM = true
        case 3: hasZ = true; hasM = true
        default: throw GeometryBlobError("WKB geometry type \(rawType) is not a known type code")
        }
        if hasSRID { _ = try readUInt32() }
        let dimensions = 2 + (hasZ ? 1 : 0) + (hasM ? 1 : 0)
        let pointBytes = 8 * dimensions

        switch isoType % 1000 {
        case 1:  // Point; NaN coordinates mean POINT EMPTY
            let point = try readPoints(1, dimensions: dimensions)[0]
            if !point.x.isNaN && !point.y.isNaN { parts.points.append(point) }
            return .point
        case 2:  // LineString
            let count = try readCount(minimumBytesEach: pointBytes, "line point")
            let line = try readPoints(count, dimensions: dimensions)
            if !line.isEmpty { parts.lines.append(line) }
            return .lineString
        case 3:  // Polygon
            let polygon = try readPolygonBody(dimensions: dimensions)
            if !polygon.isEmpty { parts.polygons.append(polygon) }
            return .polygon
        case 4:  // MultiPoint
            let count = try readCount(minimumBytesEach: 5 + pointBytes, "multipoint member")
            parts.points.reserveCapacity(parts.points.count + count)
            for _ in 0..<count { try readMember(expecting: 1, into: &parts, depth: depth) }
            return .point
        case 5:  // MultiLineString
            let count = try readCount(minimumBytesEach: 9, "multilinestring member")
            parts.lines.reserveCapacity(parts.lines.count + count)
            for _ in 0..<count { try readMember(expecting: 2, into: &parts, depth: depth) }
            return .lineString
        case 6:  // MultiPolygon
            let count = try readCount(minimumBytesEach: 9, "multipolygon member")
            parts.polygons.reserveCapacity(parts.polygons.count + count)
            for _ in 0..<count { try readMember(expecting: 3, into: &parts, depth: depth) }
            return .polygon
        case 7:  // GeometryCollection
            let count = try readCount(minimumBytesEach: 5, "collection member")
            var kind = GeometryKind.point
            for _ in 0..<count {
                let member = try readGeometry(into: &parts, depth: depth + 1)
                if member == .polygon || (member == .lineString && kind == .point) { kind = member }
            }
            return kind
        default:
            throw GeometryBlobError("WKB geometry type \(rawType) (curves, surfaces, TIN) is not supported", isUnsupported: true)
        }
    }

    /// A member of a Multi* geometry must be the matching single type; its own byte order governs it.
    private mutating func readMember(expecting type: UInt32, into parts: inout GeometryParts, depth: Int) throws(GeometryBlobError) {
        try require(5, "multi geometry member header")
        let memberOrder = bytes[offset]
        let raw = bytes.loadUnaligned(fromByteOffset: offset + 1, as: UInt32.self)
        let memberType = ((memberOrder == 0 ? UInt32(bigEndian: raw) : UInt32(littleEndian: raw)) & 0x0FFF_FFFF) % 1000
        guard memberType == type else {
            throw GeometryBlobError("WKB multi geometry member at offset \(offset) has type \(memberType), expected \(type)")
        }
        let savedOrder = littleEndian
        _ = try readGeometry(into: &parts, depth: depth + 1)
        littleEndian = savedOrder
    }

    private mutating func readPolygonBody(dimensions: Int) throws(GeometryBlobError) -> [[Point]] {
        let ringCount = try readCount(minimumBytesEach: 4, "polygon ring")
        var rings: [[Point]] = []
        rings.reserveCapacity(ringCount)
        for _ in 0..<ringCount {
            let count = try readCount(minimumBytesEach: 8 * dimensions, "ring point")
            let ring = try readPoints(count, dimensions: dimensions)
            if !ring.isEmpty { rings.append(ring) }
        }
        return rings
    }
}
