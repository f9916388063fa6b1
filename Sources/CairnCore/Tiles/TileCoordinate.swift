/// A tile address in XYZ order: x grows east, y grows south, as in web map URLs.
/// The TMS row flip exists only where MBTiles rows are read and written.
public struct TileCoordinate: Hashable, Sendable, CustomStringConvertible, Comparable {
    public var z: Int
    public var x: Int
    public var y: Int

    public init(z: Int, x: Int, y: Int) {
        self.z = z
        self.x = x
        self.y = y
    }

    /// Parses "14/13025/7215".
    public init?(parsing text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3,
              let z = Int(parts[0]), let x = Int(parts[1]), let y = Int(parts[2]) else { return nil }
        self.init(z: z, x: x, y: y)
    }

    public var description: String { "\(z)/\(x)/\(y)" }

    public static func < (a: TileCoordinate, b: TileCoordinate) -> Bool {
        (a.z, a.x, a.y) < (b.z, b.x, b.y)
    }
}
