import CairnCore
import CairnSources
import CairnStyle
import Foundation

/// Picks the reader for a style source: the native GeoPackage, GeoJSON and Shapefile readers by
/// extension (the fast path), GDAL/OGR for every other format or when the source says `"format": "ogr"`.
enum SourceOpener {
    /// - Parameter remoteHosts: the hosts the configuration's `remote_hosts:` allows remote sources to reach.
    static func reader(for source: StyleSource, remoteHosts: Set<String> = []) throws -> any LayerReader {
        let path = source.resolvedPath
        if source.remote {
            guard let host = RemoteDataset.host(of: source.path) else {
                throw SourceError(.unsupportedFormat, path: source.path, "a remote source must name its host (https://HOST/…)")
            }
            guard remoteHosts.contains(host) else {
                let allowed = remoteHosts.isEmpty ? "it names none" : "it names \(remoteHosts.sorted().joined(separator: ", "))"
                throw SourceError(.unsupportedFormat, path: source.path,
                                  "source \"\(source.id)\": remote host \(host) is not in the configuration's remote_hosts: (\(allowed)); add it there to let Cairn read data from it")
            }
        }
        if source.readsThroughOGR {
            return try OGRReader(path: path, openOptions: source.openOptions, encoding: source.encoding, allowsNetwork: source.remote)
        }
        return try reader(for: path, encoding: source.encoding)
    }

    /// The native reader of a local file, by extension (areas of `cairn seed --area`, and file sources).
    static func reader(for path: String, encoding: LegacyTextEncoding? = nil) throws -> any LayerReader {
        let lower = path.lowercased()
        let native: any LayerReader
        if lower.hasSuffix(".gpkg") {
            native = try GeoPackageReader(path: path)
        } else if lower.hasSuffix(".geojson") || lower.hasSuffix(".json") {
            native = try GeoJSONReader(path: path)
        } else if lower.hasSuffix(".shp") {
            // The DBF's bytes are decoded with the source's encoding directly, not re-decoded.
            return try ShapefileReader(path: path, encoding: encoding)
        } else {
            return try OGRReader(path: path, encoding: encoding)
        }
        guard let encoding, encoding != .utf8 else { return native }
        return RedecodingReader(base: native, encoding: encoding)
    }

    /// The files whose change must invalidate the cache: a shapefile or MapInfo table is several
    /// files, a File Geodatabase a folder of them.
    static func dependentFiles(of path: String) -> [String] {
        let lower = path.lowercased()
        let stem = (path as NSString).deletingPathExtension
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            // The folder itself too: its time stamp changes when a table file is added or removed.
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            return [path] + names.sorted().map { (path as NSString).appendingPathComponent($0) }
        }
        func siblings(_ extensions: [String]) -> [String] {
            [path] + extensions.flatMap { [stem + "." + $0, stem + "." + $0.uppercased()] }
        }
        if lower.hasSuffix(".shp") { return siblings(["shx", "dbf", "prj", "cpg"]) }
        if lower.hasSuffix(".tab") { return siblings(["dat", "map", "id", "ind", "cpg"]) }
        if lower.hasSuffix(".mif") { return siblings(["mid"]) }
        if lower.hasSuffix(".csv") { return siblings(["csvt", "prj"]) }
        if lower.hasSuffix(".gml") { return siblings(["xsd", "gfs"]) }
        return [path]
    }
}
