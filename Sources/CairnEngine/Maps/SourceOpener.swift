import CairnSources

/// Picks the reader for a data file by its extension, as styles name them.
enum SourceOpener {
    static func reader(for path: String) throws -> any LayerReader {
        let lower = path.lowercased()
        if lower.hasSuffix(".gpkg") { return try GeoPackageReader(path: path) }
        if lower.hasSuffix(".geojson") || lower.hasSuffix(".json") { return try GeoJSONReader(path: path) }
        if lower.hasSuffix(".shp") { return try ShapefileReader(path: path) }
        throw SourceError(.unsupportedFormat, path: path, "unsupported data format; expected a .gpkg, .geojson or .shp file")
    }

    /// The files whose change must invalidate the cache (a shapefile is several files).
    static func dependentFiles(of path: String) -> [String] {
        let lower = path.lowercased()
        guard lower.hasSuffix(".shp") else { return [path] }
        let stem = String(path.dropLast(4))
        return [path] + ["shx", "dbf", "prj", "cpg"].map { stem + "." + $0 }
    }
}
