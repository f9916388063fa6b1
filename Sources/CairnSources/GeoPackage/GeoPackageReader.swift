import CairnCore
import CairnSQLite
import Foundation

/// Reads the feature tables of an OGC GeoPackage (1.0 to 1.4).
///
/// Attribute columns become `PropertyValue`s by their stored type (INTEGER -> int, REAL -> double,
/// TEXT -> string incl. DATE/DATETIME, NULL -> null; columns declared BOOLEAN -> bool); BLOBs are skipped.
/// The feature id is the table's INTEGER PRIMARY KEY. A bbox query selects through the layer's
/// R-tree when it has one, then keeps the features whose envelope intersects the box, so the
/// result is the same with and without the index.
///
/// Holds one read-only SQLite connection, so the reader is not Sendable; open one per thread.
public struct GeoPackageReader: LayerReader {
    /// The GeoPackage file.
    public let path: String
    /// The feature layers, in gpkg_contents order.
    public let layers: [GeoPackageLayer]
    /// When false, bbox queries ignore the R-tree and filter every row in Swift (for comparison and tests).
    public var usesSpatialIndex = true

    private let connection: SQLiteConnection

    /// Opens the GeoPackage read-only and reads its layer metadata.
    public init(path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw SourceError(.notFound, path: path, "GeoPackage file not found")
        }
        do {
            connection = try SQLiteConnection(path: path, flags: .readOnly)
        } catch let error as SQLiteError {
            throw SourceError(.databaseError, path: path, "cannot open as SQLite: \(error.message)")
        }
        do {
            guard try GeoPackageLayer.tableExists("gpkg_contents", in: connection),
                  try GeoPackageLayer.tableExists("gpkg_geometry_columns", in: connection) else {
                throw SourceError(.unsupportedFormat, path: path, "not a GeoPackage: expected tables gpkg_contents and gpkg_geometry_columns")
            }
            layers = try GeoPackageLayer.loadAll(from: connection)
        } catch let error as SQLiteError {
            // SQLITE_NOTADB and friends: the file is not a database at all.
            throw SourceError(.unsupportedFormat, path: path, "cannot read GeoPackage metadata: \(error.message)")
        }
    }

    /// The feature tables, in gpkg_contents order.
    public func layerNames() throws -> [String] {
        layers.map(\.name)
    }

    /// The metadata of the layer named `name` (nil = the first layer).
    public func layer(named name: String?) throws -> GeoPackageLayer {
        guard let name else {
            guard let first = layers.first else {
                throw SourceError(.unknownLayer, path: path, "the GeoPackage has no feature layers")
            }
            return first
        }
        guard let layer = layers.first(where: { $0.name == name }) ?? layers.first(where: { $0.name.lowercased() == name.lowercased() }) else {
            throw SourceError(.unknownLayer, path: path, "no feature layer \"\(name)\"; layers are \(layers.map(\.name).joined(separator: ", "))")
        }
        return layer
    }

    /// Reads one layer in its own CRS; `query.bbox` is in that CRS too.
    public func read(_ query: LayerQuery) throws -> LayerData {
        let layer = try layer(named: query.layer)
        let columns = query.attributes.map { wanted in layer.columns.filter { wanted.contains($0.name) } } ?? layer.columns
        let sql = try selectSQL(layer: layer, columns: columns, bbox: query.bbox)
        do {
            let statement = try connection.prepare(sql.text)
            if let bbox = query.bbox, sql.usesIndex {
                try statement.bind(bbox.maxX, at: 1)
                try statement.bind(bbox.minX, at: 2)
                try statement.bind(bbox.maxY, at: 3)
                try statement.bind(bbox.minY, at: 4)
            }
            let features = try readRows(statement, layer: layer, columns: columns, bbox: query.bbox)
            return LayerData(name: layer.name, features: features, crs: layer.crs)
        } catch let error as SQLiteError {
            throw SourceError(.databaseError, path: path, "table \(layer.name): \(error.message)")
        }
    }

    private func selectSQL(layer: GeoPackageLayer, columns: [GeoPackageLayer.Column], bbox: BoundingBox?) throws -> (text: String, usesIndex: Bool) {
        func quote(_ name: String) throws -> String {
            guard let quoted = SQLiteConnection.quoteIdentifier(name) else {
                throw SourceError(.malformed, path: path, "table \(layer.name): identifier with a NUL character")
            }
            return quoted
        }
        let key = layer.primaryKey == "rowid" ? "rowid" : try quote(layer.primaryKey)
        var selected = [key, try quote(layer.geometryColumn)]
        for column in columns { selected.append(try quote(column.name)) }
        var sql = "SELECT \(selected.joined(separator: ", ")) FROM \(try quote(layer.name))"
        var usesIndex = false
        if bbox != nil, usesSpatialIndex, let rtree = layer.spatialIndexTable {
            sql += " WHERE \(key) IN (SELECT id FROM \(try quote(rtree)) WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?)"
            usesIndex = true
        }
        return (sql, usesIndex)
    }

    private enum PropertyKind { case plain, boolean }

    private func readRows(_ statement: SQLiteStatement, layer: GeoPackageLayer, columns: [GeoPackageLayer.Column], bbox: BoundingBox?) throws -> [Feature] {
        let names = columns.map(\.name)
        let kinds: [PropertyKind] = columns.map { $0.declaredType.uppercased() == "BOOLEAN" ? .boolean : .plain }
        let emptyGeometry = GeometryParts().geometry(preferring: layer.declaredKind)
        var features: [Feature] = []
        while try statement.step() {
            let fid = statement.int64(0)
            var geometry = emptyGeometry
            if !statement.isNull(1) {
                let result = statement.withBlob(1) { blob in
                    Result { () throws(GeometryBlobError) in try Self.decode(blob, bbox: bbox) }
                }
                let decoded: Geometry?
                switch result {
                case .success(let geometry): decoded = geometry
                case .failure(let error):
                    throw SourceError(error.isUnsupported ? .unsupportedGeometry : .malformed, path: path,
                                      "table \(layer.name), feature \(fid): \(error.message)")
                }
                guard let decoded else { continue }  // outside the bbox
                geometry = decoded
            } else if bbox != nil {
                continue
            }
            var properties: [String: PropertyValue] = Dictionary(minimumCapacity: names.count)
            for index in names.indices {
                let column = Int32(index + 2)
                let value: PropertyValue
                switch statement.columnType(column) {
                case .integer:
                    let int = statement.int64(column)
                    value = kinds[index] == .boolean ? .bool(int != 0) : .int(int)
                case .double: value = .double(statement.double(column))
                case .text: value = .string(statement.string(column) ?? "")
                case .null: value = .null
                case .blob: continue
                }
                properties[names[index]] = value
            }
            features.append(Feature(id: fid, geometry: geometry, properties: properties))
        }
        return features
    }

    /// Decodes a GeoPackage geometry blob; nil when `bbox` is given and the geometry misses it
    /// (checked on the header envelope before any WKB is decoded, when there is one).
    private static func decode(_ blob: UnsafeRawBufferPointer, bbox: BoundingBox?) throws(GeometryBlobError) -> Geometry? {
        let header = try GeoPackageBinaryHeader(parsing: blob)
        if let bbox, let envelope = header.envelope, !envelope.intersects(bbox) { return nil }
        let geometry = try WKBDecoder.decode(UnsafeRawBufferPointer(rebasing: blob[header.byteCount...]))
        if let bbox {
            if header.isEmpty || geometry.isEmpty { return nil }
            if header.envelope == nil, !geometry.boundingBox.intersects(bbox) { return nil }
        }
        return geometry
    }
}
