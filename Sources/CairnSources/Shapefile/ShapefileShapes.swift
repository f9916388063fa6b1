import CairnCore

/// Reads the geometry records of a .shp file (ESRI Shapefile Technical Description, 1998).
///
/// Z and M variants share the XY layout of their plain types and their extra ordinates are
/// ignored. Every count and offset is checked against the record and file size before use, so
/// corrupt files throw instead of trapping or allocating huge arrays.
struct ShapefileShapes {
    /// Where one record's content starts and how many bytes it has.
    struct RecordLocation {
        var contentOffset: Int
        var contentLength: Int
    }

    let shp: ShapefileByteView
    /// The shape type in the file header.
    let shapeType: Int32
    /// The end of the data the header declares (never beyond the real file end).
    let fileLength: Int

    init(shp: ShapefileByteView) throws {
        self.shp = shp
        try shp.require(0, 100, "file header")
        guard shp.int32BE(0) == 9994 else {
            throw SourceError(.unsupportedFormat, path: shp.path, "not a shapefile: file code is \(shp.int32BE(0)), expected 9994")
        }
        let declaredLength = Int(shp.int32BE(24)) * 2
        guard declaredLength >= 100 else {
            throw SourceError(.malformed, path: shp.path, "file header: file length \(declaredLength) bytes is less than the 100-byte header")
        }
        guard declaredLength <= shp.count else {
            throw SourceError(.malformed, path: shp.path,
                              "file header: file length is \(declaredLength) bytes but the file has only \(shp.count) bytes (truncated)")
        }
        fileLength = declaredLength
        shapeType = shp.int32LE(32)
    }

    /// Record locations found by walking the records one after another.
    func scanRecords() throws -> [RecordLocation] {
        var locations: [RecordLocation] = []
        var offset = 100
        while offset < fileLength {
            let number = locations.count + 1
            try shp.require(offset, 8, "record \(number) header")
            let length = Int(shp.int32BE(offset + 4)) * 2
            guard length >= 4, offset + 8 + length <= fileLength else {
                throw SourceError(.malformed, path: shp.path,
                                  "record \(number) at byte \(offset): content length \(length) does not fit in the file (\(fileLength) bytes)")
            }
            locations.append(RecordLocation(contentOffset: offset + 8, contentLength: length))
            offset += 8 + length
        }
        return locations
    }

    /// Record locations from the .shx index, each checked against the .shp.
    func indexedRecords(shx: ShapefileByteView) throws -> [RecordLocation] {
        try shx.require(0, 100, "index header")
        guard shx.int32BE(0) == 9994 else {
            throw SourceError(.unsupportedFormat, path: shx.path, "not a shapefile index: file code is \(shx.int32BE(0)), expected 9994")
        }
        let indexLength = min(Int(shx.int32BE(24)) * 2, shx.count)
        let count = max(0, (indexLength - 100) / 8)
        var locations: [RecordLocation] = []
        locations.reserveCapacity(count)
        for index in 0..<count {
            let entry = 100 + index * 8
            let offset = Int(shx.int32BE(entry)) * 2
            guard offset >= 100, offset <= fileLength - 8 else {
                throw SourceError(.malformed, path: shx.path,
                                  "index entry \(index + 1): record offset \(offset) is outside the .shp data (\(fileLength) bytes)")
            }
            let length = Int(shp.int32BE(offset + 4)) * 2
            guard length >= 4, length <= fileLength - offset - 8 else {
                throw SourceError(.malformed, path: shp.path,
                                  "record \(index + 1) at byte \(offset): content length \(length) does not fit in the file (\(fileLength) bytes)")
            }
            locations.append(RecordLocation(contentOffset: offset + 8, contentLength: length))
        }
        return locations
    }

    /// The geometry of one record; nil for a Null shape, an empty shape, or one outside `bbox`.
    func geometry(at location: RecordLocation, recordNumber: Int, bbox: BoundingBox?) throws -> Geometry? {
        let start = location.contentOffset
        let length = location.contentLength
        func requireContent(_ needed: Int, _ what: String) throws {
            guard needed <= length else {
                throw SourceError(.malformed, path: shp.path,
                                  "record \(recordNumber): \(what) needs \(needed) bytes but the record has \(length)")
            }
        }
        let type = shp.int32LE(start)
        switch type {
        case 0:
            return nil
        case 1, 11, 21:
            try requireContent(20, "point")
            let point = shp.point(start + 4)
            if let bbox, !bbox.contains(point) { return nil }
            return .points([point])
        case 8, 18, 28:
            try requireContent(40, "multipoint header")
            if let bbox, !bbox.intersects(shp.box(start + 4)) { return nil }
            let count = Int(shp.int32LE(start + 36))
            guard count >= 0 else { throw corrupt(recordNumber, "negative point count \(count)") }
            try requireContent(40 + 16 * count, "\(count) points")
            if count == 0 { return nil }
            return .points(shp.points(start + 40, count))
        case 3, 13, 23, 5, 15, 25:
            try requireContent(44, "parts header")
            if let bbox, !bbox.intersects(shp.box(start + 4)) { return nil }
            let partCount = Int(shp.int32LE(start + 36))
            let pointCount = Int(shp.int32LE(start + 40))
            guard partCount >= 0, pointCount >= 0 else {
                throw corrupt(recordNumber, "negative part count \(partCount) or point count \(pointCount)")
            }
            let pointsStart = start + 44 + 4 * partCount
            try requireContent(44 + 4 * partCount + 16 * pointCount, "\(partCount) parts and \(pointCount) points")
            if partCount == 0 || pointCount == 0 { return nil }
            var parts: [[Point]] = []
            parts.reserveCapacity(partCount)
            for part in 0..<partCount {
                let first = Int(shp.int32LE(start + 44 + 4 * part))
                let end = part + 1 < partCount ? Int(shp.int32LE(start + 48 + 4 * part)) : pointCount
                guard first >= 0, first <= end, end <= pointCount else {
                    throw corrupt(recordNumber, "part \(part) spans points \(first)..<\(end) of \(pointCount)")
                }
                parts.append(shp.points(pointsStart + 16 * first, end - first))
            }
            if type % 10 == 3 { return .lines(parts) }
            return .polygons(ShapefilePolygonAssembler.polygons(fromRings: parts))
        case 31:
            throw SourceError(.unsupportedGeometry, path: shp.path, "record \(recordNumber): MultiPatch shapes (type 31) are not supported")
        default:
            throw corrupt(recordNumber, "unknown shape type \(type)")
        }
    }

    private func corrupt(_ recordNumber: Int, _ message: String) -> SourceError {
        SourceError(.malformed, path: shp.path, "record \(recordNumber): \(message)")
    }
}
