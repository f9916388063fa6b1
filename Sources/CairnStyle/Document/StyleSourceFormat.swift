/// Which reader a file source goes through (Cairn's `"format"` on a source).
public enum StyleSourceFormat: String, Sendable, Hashable {
    /// By the file's extension: the native GeoJSON, GeoPackage and Shapefile readers, GDAL/OGR otherwise.
    case automatic
    /// GDAL/OGR whatever the extension.
    case ogr
}
