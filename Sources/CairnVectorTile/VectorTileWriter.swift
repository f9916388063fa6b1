import CairnCore

/// Writes `VectorTile` values as MVT 2.1 protobuf (uncompressed).
public enum VectorTileWriter {
    /// Encodes a tile whose geometries are already in tile coordinates; coordinates are rounded to
    /// integers. Keys and values are deduplicated per layer. Polygon rings may be closed (first point
    /// repeated last) or not, and are written as given: winding is the caller's business (see
    /// `VectorTileEncoder`, which fixes it). Features of type UNKNOWN are written without commands.
    public static func encode(_ tile: VectorTile) -> [UInt8] {
        var writer = ProtobufWriter()
        var commands: [UInt32] = []
        var tags: [UInt32] = []
        for layer in tile.layers {
            var layerWriter = ProtobufWriter()
            layerWriter.writeVarintField(15, UInt64(max(1, min(layer.version, 2))))
            layerWriter.writeStringField(1, layer.name)
            var keyIndex: [String: UInt32] = [:]
            var keys: [String] = []
            var valueIndex: [ValueKey: UInt32] = [:]
            var values: [PropertyValue] = []
            for feature in layer.features {
                tags.removeAll(keepingCapacity: true)
                // Sorted keys make the output deterministic whatever the dictionary order.
                for key in feature.properties.keys.sorted() {
                    guard let value = feature.properties[key], value != .null else { continue }
                    let k: UInt32
                    if let existing = keyIndex[key] {
                        k = existing
                    } else {
                        k = UInt32(keys.count)
                        keyIndex[key] = k
                        keys.append(key)
                    }
                    let valueKey = ValueKey(value)
                    let v: UInt32
                    if let existing = valueIndex[valueKey] {
                        v = existing
                    } else {
                        v = UInt32(values.count)
                        valueIndex[valueKey] = v
                        values.append(value)
                    }
                    tags.append(k)
                    tags.append(v)
                }
                commands.removeAll(keepingCapacity: true)
                if feature.type != .unknown {
                    appendCommands(feature.geometry, to: &commands)
                }
                var featureWriter = ProtobufWriter()
                if let id = feature.id { featureWriter.writeVarintField(1, id) }
                if !tags.isEmpty { featureWriter.writePackedField(2, tags) }
                featureWriter.writeVarintField(3, UInt64(feature.type.rawValue))
                featureWriter.writePackedField(4, commands)
                layerWriter.writeBytesField(2, featureWriter.bytes)
            }
            for key in keys { layerWriter.writeStringField(3, key) }
            for value in values { layerWriter.writeBytesField(4, encodeValue(value)) }
            layerWriter.writeVarintField(5, UInt64(max(1, layer.extent)))
            writer.writeBytesField(3, layerWriter.bytes)
        }
        return writer.bytes
    }

    /// Values compare by type as well as content: int 1, double 1.0 and bool true stay distinct
    /// (`PropertyValue` itself already distinguishes them; doubles compare by bit pattern so NaN dedups).
    private enum ValueKey: Hashable {
        case bool(Bool), int(Int64), double(UInt64), string(String), null

        init(_ value: PropertyValue) {
            switch value {
            case .bool(let b): self = .bool(b)
            case .int(let i): self = .int(i)
            case .double(let d): self = .double(d.bitPattern)
            case .string(let s): self = .string(s)
            case .null: self = .null
            }
        }
    }

    private static func encodeValue(_ value: PropertyValue) -> [UInt8] {
        var writer = ProtobufWriter()
        switch value {
        case .string(let s): writer.writeStringField(1, s)
        case .double(let d): writer.writeFixed64Field(3, d.bitPattern)
        case .int(let i):
            if i < 0 { writer.writeVarintField(6, zigzagEncode64(i)) } else { writer.writeVarintField(5, UInt64(i)) }
        case .bool(let b): writer.writeVarintField(7, b ? 1 : 0)
        case .null: writer.writeStringField(1, "")
        }
        return writer.bytes
    }

    private static func command(_ id: UInt32, count: Int) -> UInt32 {
        (UInt32(truncatingIfNeeded: count) << 3) | id
    }

    /// Rounds to the integer grid, clamped to Int32 so absurd coordinates cannot trap.
    @inline(__always)
    private static func grid(_ value: Double) -> Int32 {
        guard value.isFinite else { return 0 }
        return Int32(max(Double(Int32.min / 2), min(Double(Int32.max / 2), value.rounded())))
    }

    static func appendCommands(_ geometry: Geometry, to commands: inout [UInt32]) {
        var cx: Int32 = 0, cy: Int32 = 0
        func appendPoint(_ point: Point) {
            let x = grid(point.x), y = grid(point.y)
            commands.append(zigzagEncode(x &- cx))
            commands.append(zigzagEncode(y &- cy))
            cx = x
            cy = y
        }
        switch geometry {
        case .points(let points):
            guard !points.isEmpty else { return }
            commands.append(command(1, count: points.count))
            for point in points { appendPoint(point) }
        case .lines(let lines):
            for line in lines where line.count >= 2 {
                commands.append(command(1, count: 1))
                appendPoint(line[0])
                commands.append(command(2, count: line.count - 1))
                for point in line.dropFirst() { appendPoint(point) }
            }
        case .polygons(let polygons):
            for polygon in polygons {
                for ring in polygon {
                    var count = ring.count
                    if count > 1, grid(ring[0].x) == grid(ring[count - 1].x), grid(ring[0].y) == grid(ring[count - 1].y) {
                        count -= 1
                    }
                    guard count >= 3 else { continue }
                    commands.append(command(1, count: 1))
                    appendPoint(ring[0])
                    commands.append(command(2, count: count - 1))
                    for point in ring[1..<count] { appendPoint(point) }
                    commands.append(command(7, count: 1))
                }
            }
        }
    }
}
