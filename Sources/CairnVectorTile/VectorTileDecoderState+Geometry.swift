import CairnCore

/// The geometry command stream (MVT 2.1 §4.3): MoveTo (1), LineTo (2) and ClosePath (7) commands
/// with zigzag-encoded deltas from a cursor that carries over from one part to the next.
extension VectorTileDecoderState {
    private static let moveTo: UInt32 = 1
    private static let lineTo: UInt32 = 2
    private static let closePath: UInt32 = 7

    /// Decodes `commands` (the feature's packed geometry) for a point, line or polygon feature.
    mutating func decodeGeometry(type: VectorTileFeature.GeometryType, version: Int) throws(VectorTileError) -> Geometry {
        switch type {
        case .unknown: return .points([])
        case .point: return .points(try decodePoints())
        case .lineString: return .lines(try decodeLines(allowClosePath: version == 1))
        case .polygon: return .polygons(try decodePolygons(firstRingIsExterior: version == 1))
        }
    }

    private func geometryError(_ message: String, at index: Int) -> VectorTileError {
        VectorTileError(code: .invalidGeometry, message: "\(featurePath).geometry[\(index)]: \(message)")
    }

    /// Reads the command integer at `index` and checks its parameters fit in what is left.
    @inline(__always)
    private func command(at index: Int) throws(VectorTileError) -> (id: UInt32, count: Int) {
        let value = commands[index]
        let id = value & 7, count = Int(value >> 3)
        let parameters = id == Self.closePath ? 0 : count
        guard parameters <= (commands.count &- index &- 1) / 2 else {
            throw geometryError("command \(id) with count \(count) but only \(commands.count &- index &- 1) integers follow", at: index)
        }
        return (id, count)
    }

    /// Reserves room for `count` more vertices in the tile's budget.
    @inline(__always)
    private mutating func spend(_ count: Int) throws(VectorTileError) {
        pointCount &+= count
        guard pointCount <= limits.maxPoints else {
            throw VectorTileError(code: .tooLarge, message: "\(featurePath): tile has more than \(limits.maxPoints) points")
        }
    }

    /// Applies `count` delta pairs starting at `index` to the cursor, appending each vertex.
    @inline(__always)
    private func appendVertices(count: Int, from index: inout Int, x: inout Int64, y: inout Int64, to points: inout [Point]) {
        commands.withUnsafeBufferPointer { values in
            var i = index
            for _ in 0..<count {
                x &+= Int64(zigzagDecode(values[i]))
                y &+= Int64(zigzagDecode(values[i &+ 1]))
                points.append(Point(Double(x), Double(y)))
                i &+= 2
            }
            index = i
        }
    }

    private mutating func decodePoints() throws(VectorTileError) -> [Point] {
        var points: [Point] = []
        var x: Int64 = 0, y: Int64 = 0
        var i = 0
        while i < commands.count {
            let (id, count) = try command(at: i)
            guard id == Self.moveTo else { throw geometryError("point geometry has command \(id), expected MoveTo", at: i) }
            guard count > 0 else { throw geometryError("MoveTo with count 0", at: i) }
            try spend(count)
            i &+= 1
            points.reserveCapacity(points.count &+ count)
            appendVertices(count: count, from: &i, x: &x, y: &y, to: &points)
        }
        return points
    }

    private mutating func decodeLines(allowClosePath: Bool) throws(VectorTileError) -> [[Point]] {
        var lines: [[Point]] = []
        var x: Int64 = 0, y: Int64 = 0
        var i = 0
        while i < commands.count {
            let (id, count) = try command(at: i)
            guard id == Self.moveTo, count == 1 else {
                throw geometryError("line starts with command \(id) count \(count), expected MoveTo with count 1", at: i)
            }
            i &+= 1
            var line: [Point] = []
            try spend(1)
            appendVertices(count: 1, from: &i, x: &x, y: &y, to: &line)
            // One LineTo per line is usual; consecutive LineTo commands extend the same line.
            while i < commands.count {
                let (nextID, nextCount) = try command(at: i)
                if nextID == Self.lineTo {
                    guard nextCount > 0 else { throw geometryError("LineTo with count 0", at: i) }
                    try spend(nextCount)
                    i &+= 1
                    line.reserveCapacity(line.count &+ nextCount)
                    appendVertices(count: nextCount, from: &i, x: &x, y: &y, to: &line)
                } else if nextID == Self.closePath && allowClosePath && line.count > 1 {
                    // Version 1 tiles from early encoders close lines this way, some with count 0
                    // (mvt-fixtures 061), which readers such as vector-tile-js execute once.
                    guard nextCount <= 1 else { throw geometryError("ClosePath with count \(nextCount), expected 1", at: i) }
                    try spend(1)
                    line.append(line[0])
                    i &+= 1
                } else {
                    break
                }
            }
            guard line.count > 1 else { throw geometryError("line with a single point (MoveTo without LineTo)", at: i) }
            lines.append(line)
        }
        return lines
    }

    private mutating func decodePolygons(firstRingIsExterior: Bool) throws(VectorTileError) -> [[[Point]]] {
        var polygons: [[[Point]]] = []
        var x: Int64 = 0, y: Int64 = 0
        var i = 0
        // Which sign of area marks an exterior ring: positive per MVT 2.1; version 1 layers use the first ring's.
        var exteriorSign: Double? = firstRingIsExterior ? nil : 1
        while i < commands.count {
            let (id, count) = try command(at: i)
            guard id == Self.moveTo, count == 1 else {
                throw geometryError("ring starts with command \(id) count \(count), expected MoveTo with count 1", at: i)
            }
            i &+= 1
            var ring: [Point] = []
            try spend(1)
            appendVertices(count: 1, from: &i, x: &x, y: &y, to: &ring)
            guard i < commands.count else { throw geometryError("ring ends after its MoveTo", at: i) }
            let (lineID, lineCount) = try command(at: i)
            guard lineID == Self.lineTo, lineCount > 0 else {
                throw geometryError("ring has command \(lineID) count \(lineCount) after MoveTo, expected LineTo", at: i)
            }
            try spend(lineCount &+ 1)
            i &+= 1
            ring.reserveCapacity(lineCount &+ 2)
            appendVertices(count: lineCount, from: &i, x: &x, y: &y, to: &ring)
            guard i < commands.count else { throw geometryError("ring is not closed with ClosePath", at: i) }
            let (closeID, closeCount) = try command(at: i)
            guard closeID == Self.closePath, closeCount == 1 else {
                throw geometryError("ring ends with command \(closeID) count \(closeCount), expected ClosePath with count 1", at: i)
            }
            i &+= 1
            ring.append(ring[0])

            let area = Self.signedArea(ring)
            if area == 0 { continue }
            let sign: Double = area > 0 ? 1 : -1
            if exteriorSign == nil { exteriorSign = sign }
            if sign == exteriorSign {
                polygons.append([ring])
            } else if !polygons.isEmpty {
                polygons[polygons.count &- 1].append(ring)
            }
            // A hole before any exterior ring has nothing to belong to and is dropped.
        }
        return polygons
    }

    /// Twice the surveyor's-formula area of a closed ring in tile coordinates (y down): positive for
    /// rings clockwise on screen.
    static func signedArea(_ ring: [Point]) -> Double {
        var sum = 0.0
        ring.withUnsafeBufferPointer { points in
            guard points.count > 1 else { return }
            var previous = points[0]
            for index in 1..<points.count {
                let point = points[index]
                sum += previous.x * point.y - point.x * previous.y
                previous = point
            }
        }
        return sum
    }
}
