import CairnCore

/// Tile formats a PMTiles header names.
public enum PMTilesTileType: UInt8, Sendable {
    case unknown = 0, mvt = 1, png = 2, jpeg = 3, webp = 4, avif = 5
}

/// Compressions a PMTiles header names, for its directories and metadata and for its tiles.
public enum PMTilesCompression: UInt8, Sendable {
    case unknown = 0, none = 1, gzip = 2, brotli = 3, zstd = 4
}

/// The fixed 127-byte header at the start of a PMTiles v3 archive (spec chapter 3): where each
/// section is, the counts, the tile type and compressions, zoom range, bounds and centre.
public struct PMTilesHeader: Sendable, Hashable {
    public static let size = 127

    public var rootOffset: UInt64 = 0
    public var rootLength: UInt64 = 0
    public var metadataOffset: UInt64 = 0
    public var metadataLength: UInt64 = 0
    public var leavesOffset: UInt64 = 0
    public var leavesLength: UInt64 = 0
    public var tileDataOffset: UInt64 = 0
    public var tileDataLength: UInt64 = 0
    public var addressedTiles: UInt64 = 0
    public var tileEntries: UInt64 = 0
    public var tileContents: UInt64 = 0
    public var clustered = true
    public var internalCompression = PMTilesCompression.gzip
    public var tileCompression = PMTilesCompression.none
    public var tileType = PMTilesTileType.unknown
    public var minZoom = 0
    public var maxZoom = 0
    /// West, south, east, north in degrees.
    public var bounds = BoundingBox(minX: -180, minY: -85.0511287798066, maxX: 180, maxY: 85.0511287798066)
    public var centerZoom = 0
    public var centerLongitude = 0.0
    public var centerLatitude = 0.0

    public init() {}

    /// The 127 bytes: "PMTiles", version 3, little-endian fields, positions as degrees × 10⁷.
    public var bytes: [UInt8] {
        var bytes = Array("PMTiles".utf8)
        bytes.append(3)
        for value in [rootOffset, rootLength, metadataOffset, metadataLength, leavesOffset, leavesLength,
                      tileDataOffset, tileDataLength, addressedTiles, tileEntries, tileContents] {
            Self.append(value, to: &bytes)
        }
        bytes.append(clustered ? 1 : 0)
        bytes.append(internalCompression.rawValue)
        bytes.append(tileCompression.rawValue)
        bytes.append(tileType.rawValue)
        bytes.append(UInt8(clamping: minZoom))
        bytes.append(UInt8(clamping: maxZoom))
        Self.appendPosition(longitude: bounds.minX, latitude: bounds.minY, to: &bytes)
        Self.appendPosition(longitude: bounds.maxX, latitude: bounds.maxY, to: &bytes)
        bytes.append(UInt8(clamping: centerZoom))
        Self.appendPosition(longitude: centerLongitude, latitude: centerLatitude, to: &bytes)
        assert(bytes.count == Self.size)
        return bytes
    }

    private static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    private static func appendPosition(longitude: Double, latitude: Double, to bytes: inout [UInt8]) {
        for degrees in [longitude, latitude] {
            let value = Int32(clamping: Int64((degrees * 10_000_000).rounded()))
            for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> Int32(shift))) }
        }
    }
}
