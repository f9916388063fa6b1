// libFuzzer harness for the MVT decoder; built and run by scripts/fuzz (not part of the package).
import CairnCore
import CairnVectorTile

/// Properties checked on every input:
/// - decoding never traps (any failure is a thrown VectorTileError);
/// - a tile that decodes survives a re-encode: encoding it, decoding that and encoding again gives
///   the same bytes (compared as bytes so NaN values do not spoil the equality), and the two decoded
///   tiles are equal when they hold no NaN.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVectorTileDecoder(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: data, count: size))
    guard let tile = try? VectorTileDecoder.decode(bytes) else { return 0 }
    // The writer clamps coordinates to ±2^30; tiles beyond that cannot round-trip exactly.
    var representable = true
    var hasNaN = false
    for layer in tile.layers {
        for feature in layer.features {
            feature.geometry.forEachPoint { p in
                if abs(p.x) > 1_000_000_000 || abs(p.y) > 1_000_000_000 { representable = false }
            }
            for value in feature.properties.values {
                if case .double(let d) = value, d.isNaN { hasNaN = true }
            }
        }
    }
    guard representable else { return 0 }
    let encoded = VectorTileWriter.encode(tile)
    let again: VectorTile
    do {
        again = try VectorTileDecoder.decode(encoded)
    } catch {
        fatalError("re-encoded tile fails to decode: \(error)")
    }
    if !hasNaN && again != tile {
        fatalError("re-encoded tile decodes differently")
    }
    if VectorTileWriter.encode(again) != encoded {
        fatalError("second encoding differs from the first")
    }
    return 0
}
