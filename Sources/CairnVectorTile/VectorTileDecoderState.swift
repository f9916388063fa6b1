import CairnCore

/// One decoding run over one tile's bytes: the running totals checked against the limits and the
/// scratch buffers reused from feature to feature, so decoding allocates only the output.
struct VectorTileDecoderState {
    let bytes: UnsafeBufferPointer<UInt8>
    let limits: VectorTileDecoder.Limits
    var featureCount = 0
    var pointCount = 0
    /// Packed geometry integers and tags of the feature being decoded.
    var commands: [UInt32] = []
    var tags: [UInt32] = []
    var featureRanges: [Range<Int>] = []
    /// Where decoding is, for error messages (built only when an error is thrown).
    var layerIndex = 0
    var layerName = ""
    var featureIndex = 0

    var layerPath: String { "layers[\(layerIndex)] \"\(layerName)\"" }
    var featurePath: String { "\(layerPath) features[\(featureIndex)]" }

    init(bytes: UnsafeBufferPointer<UInt8>, limits: VectorTileDecoder.Limits) {
        self.bytes = bytes
        self.limits = limits
    }

    mutating func decodeTile() throws(VectorTileError) -> VectorTile {
        var reader = ProtobufReader(bytes, range: 0..<bytes.count)
        var layers: [VectorTileLayer] = []
        var names = Set<String>()
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readKey()
            guard field == 3 else {
                try reader.skip(wireType)
                continue
            }
            try reader.expect(.lengthDelimited, wireType, field: "tile.layers")
            let range = try reader.readLengthDelimited()
            guard layers.count < limits.maxLayers else {
                throw VectorTileError(code: .tooLarge, message: "tile has more than \(limits.maxLayers) layers")
            }
            layerIndex = layers.count
            layerName = ""
            let layer = try decodeLayer(range)
            guard names.insert(layer.name).inserted else {
                throw VectorTileError(code: .invalidTile, message: "layers[\(layers.count)]: a second layer named \"\(layer.name)\"")
            }
            layers.append(layer)
        }
        return VectorTile(layers: layers)
    }

    /// Layers are read in two passes: features usually come before the keys, values, extent and
    /// version they depend on, so the first pass only notes where each feature is.
    private mutating func decodeLayer(_ range: Range<Int>) throws(VectorTileError) -> VectorTileLayer {
        var reader = ProtobufReader(bytes, range: range)
        var name: String?
        // Missing fields take the defaults vector_tile.proto (proto2) declares: version 1, extent 4096.
        var version: UInt64 = 1
        var extent: UInt64 = 4096
        var keys: [String] = []
        var values: [PropertyValue] = []
        featureRanges.removeAll(keepingCapacity: true)
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readKey()
            switch field {
            case 1:
                try reader.expect(.lengthDelimited, wireType, field: "\(layerPath).name")
                let layerName = reader.string(in: try reader.readLengthDelimited())
                name = layerName
                self.layerName = layerName
            case 2:
                try reader.expect(.lengthDelimited, wireType, field: "\(layerPath).features")
                let featureRange = try reader.readLengthDelimited()
                guard featureCount < limits.maxFeatures else {
                    throw VectorTileError(code: .tooLarge, message: "tile has more than \(limits.maxFeatures) features")
                }
                featureCount &+= 1
                featureRanges.append(featureRange)
            case 3:
                try reader.expect(.lengthDelimited, wireType, field: "\(layerPath).keys")
                keys.append(reader.string(in: try reader.readLengthDelimited()))
            case 4:
                try reader.expect(.lengthDelimited, wireType, field: "\(layerPath).values")
                let valueRange = try reader.readLengthDelimited()
                values.append(try decodeValue(valueRange, index: values.count))
            case 5:
                try reader.expect(.varint, wireType, field: "\(layerPath).extent")
                extent = try reader.readVarint()
            case 15:
                try reader.expect(.varint, wireType, field: "\(layerPath).version")
                version = try reader.readVarint()
            default:
                try reader.skip(wireType)
            }
        }
        guard let name else {
            throw VectorTileError(code: .invalidTile, message: "\(layerPath): layer has no name")
        }
        guard version == 1 || version == 2 else {
            throw VectorTileError(code: .invalidTile, message: "\(layerPath): unsupported version \(version), expected 1 or 2")
        }
        guard extent > 0, extent <= UInt64(Int32.max) else {
            throw VectorTileError(code: .invalidTile, message: "\(layerPath): extent \(extent) out of range")
        }
        var features: [VectorTileFeature] = []
        features.reserveCapacity(featureRanges.count)
        let ranges = featureRanges
        for (index, featureRange) in ranges.enumerated() {
            featureIndex = index
            features.append(try decodeFeature(featureRange, keys: keys, values: values, version: Int(version)))
        }
        return VectorTileLayer(name: name, version: Int(version), extent: Int(extent), features: features)
    }

    private func decodeValue(_ range: Range<Int>, index: Int) throws(VectorTileError) -> PropertyValue {
        var path: String { "\(layerPath).values[\(index)]" }
        var reader = ProtobufReader(bytes, range: range)
        var value: PropertyValue?
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readKey()
            switch field {
            case 1:
                try reader.expect(.lengthDelimited, wireType, field: "\(path).string_value")
                value = .string(reader.string(in: try reader.readLengthDelimited()))
            case 2:
                try reader.expect(.fixed32, wireType, field: "\(path).float_value")
                value = .double(Double(Float(bitPattern: try reader.readFixed32())))
            case 3:
                try reader.expect(.fixed64, wireType, field: "\(path).double_value")
                value = .double(Double(bitPattern: try reader.readFixed64()))
            case 4:
                try reader.expect(.varint, wireType, field: "\(path).int_value")
                value = .int(Int64(bitPattern: try reader.readVarint()))
            case 5:
                try reader.expect(.varint, wireType, field: "\(path).uint_value")
                let raw = try reader.readVarint()
                value = raw <= UInt64(Int64.max) ? .int(Int64(raw)) : .double(Double(raw))
            case 6:
                try reader.expect(.varint, wireType, field: "\(path).sint_value")
                value = .int(zigzagDecode64(try reader.readVarint()))
            case 7:
                try reader.expect(.varint, wireType, field: "\(path).bool_value")
                value = .bool(try reader.readVarint() != 0)
            default:
                try reader.skip(wireType)
            }
        }
        guard let value else {
            throw VectorTileError(code: .invalidTile, message: "\(path): value has none of the MVT value types")
        }
        return value
    }

    private mutating func decodeFeature(
        _ range: Range<Int>, keys: [String], values: [PropertyValue], version: Int
    ) throws(VectorTileError) -> VectorTileFeature {
        var path: String { featurePath }
        var reader = ProtobufReader(bytes, range: range)
        var id: UInt64?
        // A missing type is UNKNOWN, the proto2 default.
        var rawType: UInt64 = 0
        var geometryRange: Range<Int>?
        tags.removeAll(keepingCapacity: true)
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readKey()
            switch field {
            case 1:
                try reader.expect(.varint, wireType, field: "\(path).id")
                id = try reader.readVarint()
            case 2:
                try reader.expect(.lengthDelimited, wireType, field: "\(path).tags")
                try reader.readPackedUInt32(in: try reader.readLengthDelimited(), into: &tags)
            case 3:
                try reader.expect(.varint, wireType, field: "\(path).type")
                rawType = try reader.readVarint()
            case 4:
                try reader.expect(.lengthDelimited, wireType, field: "\(path).geometry")
                guard geometryRange == nil else {
                    throw VectorTileError(code: .invalidTile, message: "\(path): feature has two geometry fields")
                }
                geometryRange = try reader.readLengthDelimited()
            default:
                try reader.skip(wireType)
            }
        }
        guard rawType <= 3, let type = VectorTileFeature.GeometryType(rawValue: Int(rawType)) else {
            throw VectorTileError(code: .invalidTile, message: "\(path): unknown geometry type \(rawType)")
        }
        guard let geometryRange else {
            throw VectorTileError(code: .invalidTile, message: "\(path): feature has no geometry")
        }
        guard tags.count % 2 == 0 else {
            throw VectorTileError(code: .invalidTile, message: "\(path): odd number of tags (\(tags.count))")
        }
        var properties: [String: PropertyValue] = [:]
        if !tags.isEmpty {
            properties.reserveCapacity(tags.count / 2)
            var i = 0
            while i < tags.count {
                let keyIndex = Int(tags[i]), valueIndex = Int(tags[i &+ 1])
                guard keyIndex < keys.count else {
                    throw VectorTileError(code: .invalidTile, message: "\(path): tag key index \(keyIndex) but the layer has \(keys.count) keys")
                }
                guard valueIndex < values.count else {
                    throw VectorTileError(code: .invalidTile, message: "\(path): tag value index \(valueIndex) but the layer has \(values.count) values")
                }
                properties[keys[keyIndex]] = values[valueIndex]
                i &+= 2
            }
        }
        let geometry: Geometry
        if type == .unknown {
            // UNKNOWN is valid MVT but says nothing about how to read the commands.
            geometry = .points([])
        } else {
            commands.removeAll(keepingCapacity: true)
            try reader.readPackedUInt32(in: geometryRange, into: &commands)
            geometry = try decodeGeometry(type: type, version: version)
        }
        return VectorTileFeature(id: id, type: type, geometry: geometry, properties: properties)
    }
}
