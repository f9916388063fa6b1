/// A tile URL's `{z}/{x}/{y}[@2x].png` parts, checked strictly: ASCII digits only, no sign,
/// no leading zeros (one spelling per tile, so cache keys cannot be multiplied), bounded length.
public struct TileAddress: Sendable, Hashable {
    public var tile: TileCoordinate
    public var scale: Int
    public var format: String

    /// `file` is `{y}.EXT` or `{y}@2x.EXT`, EXT being `fileExtension` (png unless told).
    /// - Returns: nil when the parts are malformed (a 400); range checks against a map come later (404).
    public init?(z: some StringProtocol, x: some StringProtocol, file: some StringProtocol, fileExtension: String = "png") {
        guard let zoom = Self.number(z, maxDigits: 2),
              let column = Self.number(x, maxDigits: 9) else { return nil }
        guard let dot = file.lastIndex(of: ".") else { return nil }
        let format = file[file.index(after: dot)...]
        guard format == fileExtension else { return nil }
        var stem = file[..<dot]
        var scale = 1
        if let at = stem.firstIndex(of: "@") {
            let suffix = stem[at...]
            guard suffix == "@2x" else { return nil }
            scale = 2
            stem = stem[..<at]
        }
        guard let row = Self.number(stem, maxDigits: 9) else { return nil }
        self.tile = TileCoordinate(z: zoom, x: column, y: row)
        self.scale = scale
        self.format = String(format)
    }

    /// Plain decimal digits, no sign, no leading zeros, bounded length: one spelling per number,
    /// for every route that takes tile numbers.
    public static func number(_ text: some StringProtocol, maxDigits: Int) -> Int? {
        let bytes = text.utf8
        guard !bytes.isEmpty, bytes.count <= maxDigits else { return nil }
        if bytes.count > 1 && bytes.first == 0x30 { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }
}
