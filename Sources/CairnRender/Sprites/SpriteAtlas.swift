/// A style's sprites: for each `sprite` entry (by id) its sheets at the pixel ratios it has.
/// Image ids of the sprite `default` are plain names; those of others are `id:name`.
public struct SpriteAtlas: Sendable {
    public struct Entry: Sendable {
        public let id: String
        /// By pixel ratio, ascending.
        public let sheets: [SpriteSheet]

        public init(id: String, sheets: [SpriteSheet]) {
            self.id = id
            self.sheets = sheets.sorted { $0.pixelRatio < $1.pixelRatio }
        }
    }

    public let entries: [Entry]

    public static let empty = SpriteAtlas(entries: [])

    public init(entries: [Entry]) {
        self.entries = entries
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// The sheet and image for `id` drawn at `scale` device px per CSS px: the sheet whose ratio is the
    /// smallest at or above `scale` (sharp when scaled down), else the largest.
    public func image(_ id: String, scale: Double) -> (sheet: SpriteSheet, image: SpriteImage)? {
        for entry in entries {
            let name: Substring
            if entry.id == "default" {
                name = Substring(id)
            } else {
                let prefix = entry.id + ":"
                guard id.hasPrefix(prefix) else { continue }
                name = id.dropFirst(prefix.count)
            }
            let candidates = entry.sheets.filter { $0.images[String(name)] != nil }
            guard let sheet = candidates.first(where: { $0.pixelRatio >= scale }) ?? candidates.last else { continue }
            return (sheet, sheet.images[String(name)]!)
        }
        return nil
    }

    /// Whether any sheet has image `id`.
    public func contains(_ id: String) -> Bool { image(id, scale: 1) != nil }
}
