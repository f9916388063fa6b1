import CairnCore
import CairnGDAL
import Foundation

/// Reads any vector format GDAL/OGR knows (MapInfo, DGN, DXF, File Geodatabase, KML, GML, FlatGeobuf,
/// CSV, OSM…) through GDAL's C API. Each call opens the dataset, reads and closes it on the calling
/// thread, so no GDAL handle outlives the call or crosses threads.
public struct OGRReader: LayerReader {
    public let path: String
    public let openOptions: [String: String]
    /// How attribute text is encoded; nil: as GDAL delivers it (UTF-8 for the formats that say so).
    public let encoding: LegacyTextEncoding?
    /// Whether GDAL may reach the network: only for remote sources the configuration allowed. A local
    /// file is read with the network closed, so a .vrt or GML naming http:// data cannot make the
    /// server fetch it.
    public let allowsNetwork: Bool

    /// - Parameter path: a local file or folder (a `.gdb`), or a remote dataset the caller has allowed.
    public init(path: String, openOptions: [String: String] = [:], encoding: LegacyTextEncoding? = nil,
                allowsNetwork: Bool = false) throws {
        self.path = path
        self.openOptions = openOptions
        self.encoding = encoding
        self.allowsNetwork = allowsNetwork
        // GDAL's virtual file systems (/vsi…) and connection strings (WFS:…) name no local file to check.
        let isLocalFile = path.hasPrefix("/") ? !path.hasPrefix("/vsi") : !path.contains(":")
        if isLocalFile {
            guard FileManager.default.fileExists(atPath: path) else {
                throw SourceError(.notFound, path: path, "no such file")
            }
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw SourceError(.notFound, path: path, "file is not readable")
            }
        }
    }

    public func layerNames() throws -> [String] {
        try withDataset { dataset, _ in dataset.layerNames }
    }

    /// Every layer's driver, fields, count, extent and CRS.
    public func describe() throws -> [OGRLayerDescription] {
        try withDataset { dataset, _ in
            try (0..<dataset.layerCount).compactMap { index in
                guard let layer = dataset.layer(at: index) else { return nil }
                return try describe(layer, driver: dataset.driverName)
            }
        }
    }

    public func read(_ query: LayerQuery) throws -> LayerData {
        try withDataset { dataset, log in
            let failuresAtOpen = log.messages.filter(\.isFailure).count
            let layer = try pick(query.layer, in: dataset)
            let name = layer.name
            let geometryColumns = layer.geometryFieldCount
            // A layer can fail as it is first described (a .vrt whose source GDAL cannot open): say what GDAL said.
            let failures = log.messages.filter(\.isFailure).dropFirst(failuresAtOpen).map(\.text)
            if !failures.isEmpty {
                throw SourceError(.malformed, path: path, "layer \(name) (GDAL \(dataset.driverName)): \(failures.joined(separator: "; "))")
            }
            guard geometryColumns > 0 else {
                throw SourceError(.malformed, path: path, "layer \(name) has no geometry column (GDAL \(dataset.driverName) found none)"
                                  + (dataset.driverName == "CSV" ? "; name the coordinate columns with \"open_options\" on the source: {\"X_POSSIBLE_NAMES\": \"lon\", \"Y_POSSIBLE_NAMES\": \"lat\"} or {\"GEOM_POSSIBLE_NAMES\": \"wkt\"}" : ""))
            }
            let crs: CRSDefinition?
            do {
                crs = try layer.spatialReference().map(Self.crsDefinition)
            } catch {
                throw SourceError(.malformed, path: path, "layer \(name): \(error)")
            }
            let fields = layer.fields
            let wanted = fields.indices.filter { query.attributes?.contains(fields[$0].name) ?? true }
            if let box = query.bbox { layer.setSpatialFilter((box.minX, box.minY, box.maxX, box.maxY)) }
            let textEncoding = encoding ?? .utf8
            var features: [Feature] = []
            do {
                try layer.forEachFeature(fieldIndexes: wanted, log: log) { fid, wkb, values in
                    guard let wkb else { return }
                    let geometry: Geometry
                    do {
                        geometry = try WKBDecoder.decode(wkb)
                    } catch let error as GeometryBlobError {
                        throw SourceError(error.isUnsupported ? .unsupportedGeometry : .malformed, path: path,
                                          "layer \(name), feature \(fid.map(String.init) ?? "?"): \(error)")
                    }
                    var properties: [String: PropertyValue] = [:]
                    properties.reserveCapacity(values.count)
                    for (offset, value) in values.enumerated() {
                        let field = fields[wanted[offset]].name
                        switch value {
                        case .null: properties[field] = .null
                        case .integer(let number): properties[field] = .int(number)
                        case .real(let number): properties[field] = .double(number)
                        case .text(let bytes): properties[field] = .string(textEncoding.decode(bytes))
                        }
                    }
                    features.append(Feature(id: fid, geometry: geometry, properties: properties))
                }
            } catch let error as GDALError {
                throw SourceError(.malformed, path: path, "layer \(name) (GDAL \(dataset.driverName)): \(error.message)")
            }
            return LayerData(name: name, features: features, crs: crs, warnings: Self.warnings(in: log))
        }
    }

    /// GDAL's warnings, each once, and the entities a DXF holds that GDAL skips (it says so only in
    /// debug notes). Skipped entities do not fail the read: drawings always carry some (dimensions,
    /// proxies, 3D solids) and the lines and polygons around them are what the map shows.
    static func warnings(in log: GDALErrorLog) -> [String] {
        let skipped = log.debugNotes.filter { $0.localizedCaseInsensitiveContains("ignoring") }
        var seen: Set<String> = []
        return (log.warnings + skipped.map { "GDAL skips entities it cannot read: \($0)" }).filter { seen.insert($0).inserted }
    }

    /// A layer's CRS as PROJ takes it: the EPSG code when the whole CRS carries one, its WKT otherwise.
    static func crsDefinition(_ info: OGRSpatialReferenceInfo) -> CRSDefinition {
        if info.authorityName?.uppercased() == "EPSG", let code = info.authorityCode { return .epsg(code) }
        return .text(info.wkt)
    }

    private func pick(_ requested: String?, in dataset: OGRDataset) throws -> OGRLayerHandle {
        if let requested {
            guard let layer = dataset.layer(named: requested) else {
                let names = dataset.layerNames
                let layers = names.isEmpty ? "GDAL (\(dataset.driverName)) finds no layer in it" : "the layers are \(Self.list(names))"
                throw SourceError(.unknownLayer, path: path, "no layer \"\(requested)\"; \(layers)")
            }
            return layer
        }
        guard dataset.layerCount == 1, let only = dataset.layer(at: 0) else {
            if dataset.layerCount == 0 { throw SourceError(.malformed, path: path, "GDAL (\(dataset.driverName)) finds no layer in it") }
            throw SourceError(.unknownLayer, path: path, "it has \(dataset.layerCount) layers (\(Self.list(dataset.layerNames))); name one with \"source-layer\"")
        }
        return only
    }

    private func describe(_ layer: OGRLayerHandle, driver: String) throws -> OGRLayerDescription {
        let srs: OGRSpatialReferenceInfo?
        do { srs = try layer.spatialReference() } catch {
            throw SourceError(.malformed, path: path, "layer \(layer.name): \(error)")
        }
        let extent = layer.extent().map { BoundingBox(minX: $0.minX, minY: $0.minY, maxX: $0.maxX, maxY: $0.maxY) }
        return OGRLayerDescription(name: layer.name, driver: driver, fields: layer.fields, featureCount: layer.featureCount(),
                                   extent: extent, spatialReference: srs)
    }

    private func withDataset<T>(_ body: (OGRDataset, GDALErrorLog) throws -> T) throws -> T {
        // The DXF driver reports the entities it skips only as debug notes: collect those (this thread only).
        try GDALThreadConfiguration.with(["CPL_DEBUG": "DXF"]) {
            try allowsNetwork ? withOpenDataset(body) : GDALNetworkBarrier.refusingNetwork { try withOpenDataset(body) }
        }
    }

    private func withOpenDataset<T>(_ body: (OGRDataset, GDALErrorLog) throws -> T) throws -> T {
        try GDALErrorLog.capturing { log in
            let dataset: OGRDataset
            do {
                dataset = try OGRDataset(path: path, openOptions: openOptions, log: log)
            } catch let error as GDALError {
                let reason = OGRUnreadableFile.explanation(for: path).map { "\($0) (GDAL: \(error.message))" } ?? error.message
                throw SourceError(.unsupportedFormat, path: path, "GDAL cannot open it: \(reason)")
            }
            return try body(dataset, log)
        }
    }

    private static func list(_ names: [String]) -> String {
        names.map { "\"\($0)\"" }.joined(separator: ", ")
    }
}
