import CairnCore
import Foundation

/// Reads an ESRI Shapefile (the .shp and its sidecar files) as one layer named after the file.
///
/// - **.shp**: Point, MultiPoint, PolyLine and Polygon and their Z and M variants (Z and M are
///   ignored). Null and empty shapes are skipped; MultiPatch throws `.unsupportedGeometry`.
///   Polygon rings become `.polygons`: outer rings run clockwise, holes counter-clockwise, and each
///   hole joins the smallest outer ring containing its first vertex (a hole no outer ring contains
///   becomes a polygon of its own).
/// - **.shx** (optional): gives the record offsets; without it the records are walked in order.
/// - **.dbf** (optional; without it features have no properties). Records flagged deleted are
///   skipped with their shape. C -> `.string` (trailing padding trimmed; blank -> `.null`, as GDAL
///   does); N/F -> `.int` when the field has no decimals and the text is an integer, else `.double`
///   (blank -> `.null`); L -> `.bool` (`?` -> `.null`); D -> `.string` "YYYY-MM-DD"; I and + ->
///   `.int`; O -> `.double`; memo/binary types (M, G, P, B, T, @, Y) -> `.null`; others -> text.
/// - **.cpg** names the text encoding: UTF-8/65001, or ISO-8859-1/windows-1252 (both decoded as
///   windows-1252). Without a .cpg the DBF language-driver byte decides (0x01-0x03, 0x57-0x59 ->
///   windows-1252). When neither names a known encoding, valid UTF-8 is read as UTF-8 and
///   anything else as windows-1252. An `encoding` given to the initializer (a style's `"encoding"`)
///   is used instead, for the TCVN3, VNI and windows-1258 files that name nothing.
/// - **.prj**: its WKT text becomes ``CRSDefinition/text(_:)``; nil without a .prj.
/// - **id**: the 0-based record index, the same number as GDAL's FID.
/// - **Query**: `bbox` skips records whose stored box does not intersect it (before their points
///   are read); `attributes` keeps only those fields.
///
/// All binary reads are bounds-checked: a truncated or corrupt file throws ``SourceError``
/// (`.malformed`, naming the file and the record), never traps or allocates by a corrupt count.
public struct ShapefileReader: LayerReader, Sendable {
    /// The .shp file.
    public let path: String
    /// The layer name: the file name without its extension.
    public let layerName: String
    /// The encoding of the .dbf text when the caller knows it; nil reads the .cpg or guesses.
    public let encoding: LegacyTextEncoding?

    /// Checks that `path` (the .shp) exists; the files are read in ``read(_:)``.
    public init(path: String, encoding: LegacyTextEncoding? = nil) throws {
        self.layerName = try SingleLayerFile.open(path)
        self.path = path
        self.encoding = encoding
    }

    /// The single layer, named after the file.
    public func layerNames() throws -> [String] { [layerName] }

    /// Reads the .shp with its sidecar files; see the type's documentation for the mapping.
    public func read(_ query: LayerQuery) throws -> LayerData {
        try SingleLayerFile.check(query, layerName: layerName, path: path)
        let shpData = try load(path)
        let shxPath = sidecar("shx")
        let shxData = try shxPath.map(load)
        let dbfPath = sidecar("dbf")
        let dbfData = try dbfPath.map(load)
        let cpg = try sidecar("cpg").map { String(decoding: try load($0), as: UTF8.self) }
        let prj = try sidecar("prj").map { String(decoding: try load($0), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }

        let features = try shpData.withUnsafeBytes { shpBytes in
            try Self.withBytes(shxData) { shxBytes in
                try Self.withBytes(dbfData) { dbfBytes in
                    let shapes = try ShapefileShapes(shp: ShapefileByteView(raw: shpBytes, path: path))
                    let locations: [ShapefileShapes.RecordLocation]
                    if let shxBytes, let shxPath {
                        locations = try shapes.indexedRecords(shx: ShapefileByteView(raw: shxBytes, path: shxPath))
                    } else {
                        locations = try shapes.scanRecords()
                    }
                    var table: ShapefileDBFTable?
                    if let dbfBytes, let dbfPath {
                        table = try ShapefileDBFTable(dbf: ShapefileByteView(raw: dbfBytes, path: dbfPath), cpg: cpg, legacyEncoding: encoding)
                    }
                    return try Self.features(shapes: shapes, locations: locations, table: table, query: query)
                }
            }
        }
        let crs = prj.flatMap { $0.isEmpty ? nil : CRSDefinition.text($0) }
        return LayerData(name: layerName, features: features, crs: crs)
    }

    private static func features(shapes: ShapefileShapes, locations: [ShapefileShapes.RecordLocation],
                                 table: ShapefileDBFTable?, query: LayerQuery) throws -> [Feature] {
        let fieldIndices = table?.fieldIndices(for: query.attributes) ?? []
        var features: [Feature] = []
        features.reserveCapacity(locations.count)
        for (index, location) in locations.enumerated() {
            let row = table.flatMap { index < $0.recordCount ? $0 : nil }
            if let row, row.isDeleted(index) { continue }
            guard let geometry = try shapes.geometry(at: location, recordNumber: index + 1, bbox: query.bbox) else { continue }
            let properties = row?.properties(of: index, fieldIndices: fieldIndices) ?? [:]
            features.append(Feature(id: Int64(index), geometry: geometry, properties: properties))
        }
        return features
    }

    /// The sidecar file with `ext` (lower or upper case) beside the .shp, if it exists.
    private func sidecar(_ ext: String) -> String? {
        let base = URL(fileURLWithPath: path).deletingPathExtension().path
        for candidate in [base + "." + ext, base + "." + ext.uppercased()]
            where FileManager.default.fileExists(atPath: candidate) {
            return candidate
        }
        return nil
    }

    private func load(_ file: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: file), options: .mappedIfSafe)
        } catch {
            throw SourceError(.notFound, path: file, "cannot read file: \(error.localizedDescription)")
        }
    }

    private static func withBytes<Result>(_ data: Data?, _ body: (UnsafeRawBufferPointer?) throws -> Result) rethrows -> Result {
        guard let data else { return try body(nil) }
        return try data.withUnsafeBytes { try body($0) }
    }
}
