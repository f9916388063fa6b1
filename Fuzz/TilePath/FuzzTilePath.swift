// libFuzzer harness for the tile path parser (`TileAddress`); built and run by scripts/fuzz.
import CairnCore

/// Properties checked on every input, read as `z/x/file`:
/// - parsing never traps;
/// - an accepted address is in range (z ≤ 99, column and row below 10^9, scale 1 or 2, format png);
/// - it is the one canonical spelling of that tile: writing it back gives the input byte for byte,
///   so no two URLs can name one cache entry.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTilePath(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    if parts.count != 3 {
        if let number = TileAddress.number(text, maxDigits: 9), String(number) != text {
            fatalError("number accepted in a non-canonical spelling: \(text.debugDescription)")
        }
        return 0
    }
    guard let address = TileAddress(z: parts[0], x: parts[1], file: parts[2]) else { return 0 }
    let tile = address.tile
    guard (0...99).contains(tile.z), (0..<1_000_000_000).contains(tile.x), (0..<1_000_000_000).contains(tile.y),
          address.scale == 1 || address.scale == 2, address.format == "png" else {
        fatalError("out-of-range address accepted: \(text.debugDescription) -> \(address)")
    }
    let canonical = "\(tile.z)/\(tile.x)/\(tile.y)\(address.scale == 2 ? "@2x" : "").\(address.format)"
    if canonical != text {
        fatalError("non-canonical path accepted: \(text.debugDescription), canonical \(canonical)")
    }
    return 0
}
