import Foundation

/// What the one-layer-per-file formats (GeoJSON, Shapefile) share: the file must exist and be
/// a readable regular file, and its only layer is named after the file.
enum SingleLayerFile {
    /// - Returns: the layer name, the file name without its extension.
    static func open(_ path: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw SourceError(.notFound, path: path, "no such file")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw SourceError(.notFound, path: path, "file is not readable")
        }
        return URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    }

    /// Refuses a query for any layer but the file's own.
    static func check(_ query: LayerQuery, layerName: String, path: String) throws {
        if let layer = query.layer, layer != layerName {
            throw SourceError(.unknownLayer, path: path, "no layer \"\(layer)\"; the only layer is \"\(layerName)\"")
        }
    }
}
