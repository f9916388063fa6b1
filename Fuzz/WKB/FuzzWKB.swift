// libFuzzer harness for the Well-Known Binary decoder (GeoPackage geometries); built and run by scripts/fuzz.
import CairnCore
import CairnSources

/// Properties checked on every input:
/// - decoding never traps and never allocates beyond what the input can hold (libFuzzer's
///   -rss_limit_mb and -malloc_limit_mb catch that);
/// - a decoded geometry holds no more points than the input has room for (16 bytes a point).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWKB(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: data, count: size))
    guard let geometry = try? WKBDecoder.decode(bytes) else { return 0 }
    var points = 0
    geometry.forEachPoint { _ in points += 1 }
    if points > size / 16 + 1 { fatalError("\(points) points decoded from \(size) bytes") }
    return 0
}
