import CairnCore

/// The version of Cairn's vector tile encoding, part of the fingerprint vector tiles are cached
/// under: bumping it makes every vector tile cached by an older Cairn a miss, so it is encoded again.
enum VectorTileEncoding {
    /// Bumped whenever the tile encoding changes.
    static let version = "cairn-mvt-2"

    /// The fingerprint vector tiles of this map version are cached under.
    static func fingerprint(of map: LoadedMap) -> String {
        var hash = Fingerprinter()
        hash.add(version)
        hash.add(map.fingerprint)
        return hash.hex
    }
}
