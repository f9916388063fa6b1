/// The source types Cairn reads: both are local files.
public enum StyleSourceType: String, Sendable, CaseIterable {
    /// A multi-layer file (GeoPackage, or a Shapefile folder); layers pick one with `source-layer`.
    case vector
    /// A GeoJSON file.
    case geojson
}
