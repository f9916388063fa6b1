import CairnCore

/// Builds one vector tile from features in map coordinates: transforms them into tile coordinates,
/// clips to the tile plus a buffer, simplifies, snaps to the integer grid and fixes ring winding.
public struct VectorTileEncoder: Sendable {
    /// The tile's box in map coordinates (e.g. EPSG:3857 metres, y up).
    public let bounds: BoundingBox
    public let extent: Int
    /// Tile units kept outside the tile on every side, so strokes and labels do not break at edges.
    public let buffer: Int
    /// Douglas–Peucker tolerance in tile units; 0 keeps every vertex.
    public let tolerance: Double
    private var layers: [VectorTileLayer] = []

    public init(bounds: BoundingBox, extent: Int = 4096, buffer: Int = 64, tolerance: Double = 1.0) {
        self.bounds = bounds
        self.extent = max(1, extent)
        self.buffer = max(0, buffer)
        self.tolerance = tolerance
    }

    /// Adds a layer (features in map coordinates). Features that end up empty after clipping and
    /// simplification are dropped; only the `attributes` named are kept (nil keeps all); null values
    /// are dropped; ids of 0 or more are kept. A layer with no features left is still added.
    public mutating func addLayer(named name: String, features: some Sequence<Feature>, attributes: Set<String>? = nil) {
        var converted: [VectorTileFeature] = []
        for feature in features {
            guard let (type, geometry) = tileGeometry(feature.geometry) else { continue }
            var properties: [String: PropertyValue] = [:]
            for (key, value) in feature.properties where value != .null {
                if let attributes, !attributes.contains(key) { continue }
                properties[key] = value
            }
            let id = feature.id.flatMap { $0 >= 0 ? UInt64($0) : nil }
            converted.append(VectorTileFeature(id: id, type: type, geometry: geometry, properties: properties))
        }
        layers.append(VectorTileLayer(name: name, version: 2, extent: extent, features: converted))
    }

    /// The tile as built so far, in tile coordinates (integers), as the decoder would return it.
    public var tile: VectorTile { VectorTile(layers: layers) }

    /// The tile as uncompressed MVT protobuf.
    public func encode() -> [UInt8] { VectorTileWriter.encode(tile) }

    // MARK: - Geometry pipeline

    private var clipper: TileClipper {
        TileClipper(min: -Double(buffer), max: Double(extent + buffer))
    }

    @inline(__always)
    private func toTile(_ p: Point, _ scaleX: Double, _ scaleY: Double) -> Point {
        Point((p.x - bounds.minX) * scaleX, (bounds.maxY - p.y) * scaleY)
    }

    private func tileGeometry(_ geometry: Geometry) -> (VectorTileFeature.GeometryType, Geometry)? {
        guard bounds.width > 0, bounds.height > 0 else { return nil }
        let scaleX = Double(extent) / bounds.width, scaleY = Double(extent) / bounds.height
        let clipper = self.clipper
        switch geometry {
        case .points(let points):
            var out: [Point] = []
            for p in points {
                let t = toTile(p, scaleX, scaleY)
                guard t.x.isFinite, t.y.isFinite, clipper.contains(t) else { continue }
                out.append(Point(t.x.rounded(), t.y.rounded()))
            }
            return out.isEmpty ? nil : (.point, .points(out))
        case .lines(let lines):
            var out: [[Point]] = []
            var parts: [[Point]] = []
            for line in lines {
                parts.removeAll(keepingCapacity: true)
                let transformed = line.map { toTile($0, scaleX, scaleY) }
                guard transformed.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) else { continue }
                clipper.clipLine(transformed, into: &parts)
                for part in parts {
                    let snapped = Self.snap(DouglasPeucker.simplify(part, tolerance: tolerance))
                    if snapped.count >= 2 { out.append(snapped) }
                }
            }
            return out.isEmpty ? nil : (.lineString, .lines(out))
        case .polygons(let polygons):
            var out: [[[Point]]] = []
            for polygon in polygons {
                var rings: [[Point]] = []
                for (index, ring) in polygon.enumerated() {
                    guard var snapped = tileRing(ring, clipper: clipper, scaleX: scaleX, scaleY: scaleY) else {
                        // Without its exterior the polygon is gone; a lost hole just goes.
                        if index == 0 { break } else { continue }
                    }
                    // MVT 2.1: exteriors have positive area in tile coordinates, holes negative.
                    if (index == 0) != (VectorTileDecoderState.signedArea(snapped) > 0) { snapped.reverse() }
                    rings.append(snapped)
                }
                if !rings.isEmpty { out.append(rings) }
            }
            return out.isEmpty ? nil : (.polygon, .polygons(out))
        }
    }

    /// One ring transformed, clipped, simplified and snapped, closed; nil when nothing with an area is left.
    private func tileRing(_ ring: [Point], clipper: TileClipper, scaleX: Double, scaleY: Double) -> [Point]? {
        let transformed = ring.map { toTile($0, scaleX, scaleY) }
        guard transformed.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) else { return nil }
        var clipped = clipper.clipRing(transformed)
        guard clipped.count >= 3 else { return nil }
        clipped.append(clipped[0])
        let snapped = Self.snap(DouglasPeucker.simplify(clipped, tolerance: tolerance))
        guard snapped.count >= 4, VectorTileDecoderState.signedArea(snapped) != 0 else { return nil }
        return snapped
    }

    /// Rounds to the integer grid and drops consecutive duplicates.
    private static func snap(_ points: [Point]) -> [Point] {
        var out: [Point] = []
        out.reserveCapacity(points.count)
        for p in points {
            let q = Point(p.x.rounded(), p.y.rounded())
            if let last = out.last, last == q { continue }
            out.append(q)
        }
        return out
    }
}
