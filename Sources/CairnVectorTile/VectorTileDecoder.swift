import CairnCore
import CairnZlib

/// Decodes Mapbox Vector Tiles (MVT 2.1, and 1.x layers) into `VectorTile` values.
///
/// The protobuf wire format is read by hand from the tile's bytes: every length is checked against
/// the bytes left, every command count against the integers left, and the totals against `Limits`,
/// so no input can trap, recurse deeply or allocate more than a small multiple of its own size.
public enum VectorTileDecoder {
    /// Caps on what one tile may hold; a tile over any of them fails with `VectorTileError.Code.tooLarge`.
    public struct Limits: Sendable, Equatable {
        public var maxLayers: Int
        /// Features over all layers of the tile.
        public var maxFeatures: Int
        /// Vertices over all features of the tile.
        public var maxPoints: Int
        /// Output cap when `decodeMaybeCompressed` inflates a gzip/zlib tile.
        public var maxDecompressedBytes: Int

        public init(maxLayers: Int = 1_000, maxFeatures: Int = 1_000_000, maxPoints: Int = 20_000_000,
                    maxDecompressedBytes: Int = 64 << 20) {
            self.maxLayers = maxLayers
            self.maxFeatures = maxFeatures
            self.maxPoints = maxPoints
            self.maxDecompressedBytes = maxDecompressedBytes
        }

        public static let `default` = Limits()
    }

    /// Decodes raw (uncompressed) MVT protobuf bytes.
    ///
    /// Geometries come out in tile coordinates (x right, y down). Polygon rings are closed (first point
    /// repeated last) and grouped into polygons by winding: positive surveyor's area starts a polygon,
    /// negative is a hole of the polygon before it (a hole before any exterior is dropped), zero-area
    /// rings are dropped. Layers of version 1 take the first ring's winding as the exterior one and may
    /// close lines with ClosePath, as early encoders wrote them. Missing fields take the defaults of
    /// vector_tile.proto (proto2): type UNKNOWN, version 1, extent 4096.
    public static func decode(_ bytes: [UInt8], limits: Limits = .default) throws(VectorTileError) -> VectorTile {
        let result: Result<VectorTile, VectorTileError> = bytes.withUnsafeBufferPointer { buffer in
            var decoder = VectorTileDecoderState(bytes: buffer, limits: limits)
            do throws(VectorTileError) {
                return .success(try decoder.decodeTile())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Decodes a tile that may be gzip- or zlib-compressed (as MBTiles stores and HTTP serves them):
    /// inflates first when the bytes start with a gzip or zlib header, then decodes.
    public static func decodeMaybeCompressed(_ bytes: [UInt8]) throws(VectorTileError) -> VectorTile {
        try decodeMaybeCompressed(bytes, limits: .default)
    }

    /// `decodeMaybeCompressed(_:)` with explicit limits (`maxDecompressedBytes` caps the inflated size).
    public static func decodeMaybeCompressed(_ bytes: [UInt8], limits: Limits) throws(VectorTileError) -> VectorTile {
        guard Zlib.isGzip(bytes) || Zlib.isZlib(bytes) else { return try decode(bytes, limits: limits) }
        let raw: [UInt8]
        do {
            raw = try Zlib.decompress(bytes, limit: limits.maxDecompressedBytes)
        } catch {
            throw VectorTileError(code: error.code == .tooLarge ? .tooLarge : .malformed, message: "compressed tile: \(error.message)")
        }
        return try decode(raw, limits: limits)
    }
}
