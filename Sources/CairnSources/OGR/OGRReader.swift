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

    /// - Parameter path: a local file or folder (a `.gdb`), or a remote dataset the caller has allowed.
    public init(path: String, openOptions: [String: String] = [:], encoding: LegacyTextEncoding? = nil) throws {
        self.path = path
        self.openOptions = openOptions
        self.encoding = encoding
        if !path.hasPrefix("/vsi") && !path.contains(":") || path.hasPrefix("/") && !path.hasPrefix("/vsi") {
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
            let layer = try pick(query.layer, in: dataset)
            let name = layer.name
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
            return LayerData(name: name, features: features, crs: crs)
        }
    }

    /// A layer's CRS as PROJ takes it: the EPSG code when the whole CRS carries one, its WKT otherwise.
    static func crsDefinition(_ info: OGRSpatialReferenceInfo) -> CRSDefinition {
        if info.authorityName?.uppercased() == "EPSG", let code = info.authorityCode { return .epsg(code) }
        return .text(info.wkt)
    }

    private func pick(_ requested: String?, in dataset: OGRDataset) throws -> OGRLayerHandle {
        if let requested {
            guard let layer = dataset.layer(named: requested) else {
                throw SourceError(.unknownLayer, path: path, "no layer \"\(requested)\"; the layers are \(Self.list(dataset.layerNames))")
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
        return OGRLayerDescription(name: layer.name, driver: driver, fields: layer.fields, featureCount: nil,
                                   extent: extent, spatialReference: srs)
    }

    private func withDataset<T>(_ body: (OGRDataset, GDALErrorLog) throws -> T) throws -> T {
        try GDALErrorLog.capturing { log in
            let dataset: OGRDataset
            do {
                dataset = try OGRDataset(path: path, openOptions: openOptions, log: log)
            } catch {
                throw SourceError(.unsupportedFormat, path: path, "GDAL cannot open it: \(error)")
            }
            return try body(dataset, log)
        }
    }

    private static func list(_ names: [String]) -> String {
        names.map { "\"\($0)\"" }.joined(separator: ", ")
    }
}
