import CGDAL

/// One layer of an open `OGRDataset` (which it keeps open). Not Sendable, like the dataset.
public final class OGRLayerHandle {
    let handle: OGRLayerH
    let owner: OGRDataset

    init(_ handle: OGRLayerH, owner: OGRDataset) {
        self.handle = handle
        self.owner = owner
    }

    public var name: String { OGR_L_GetName(handle).map { String(cString: $0) } ?? "" }

    /// The attribute fields, in the layer's order.
    public var fields: [OGRField] {
        guard let definition = OGR_L_GetLayerDefn(handle) else { return [] }
        return (0..<OGR_FD_GetFieldCount(definition)).compactMap { index in
            guard let field = OGR_FD_GetFieldDefn(definition, index) else { return nil }
            let name = OGR_Fld_GetNameRef(field).map { String(cString: $0) } ?? ""
            let type = OGR_GetFieldTypeName(OGR_Fld_GetType(field)).map { String(cString: $0) } ?? ""
            return OGRField(name: name, typeName: type)
        }
    }

    /// How many geometry columns the layer has: 0 for a table of attributes only (a CSV whose
    /// coordinates GDAL did not recognise).
    public var geometryFieldCount: Int {
        guard let definition = OGR_L_GetLayerDefn(handle) else { return 0 }
        return Int(OGR_FD_GetGeomFieldCount(definition))
    }

    /// The number of features, counted by a scan when the format does not keep it; nil when unknown.
    public func featureCount() -> Int? {
        let count = OGR_L_GetFeatureCount(handle, 1)
        return count < 0 ? nil : Int(count)
    }

    /// The CRS the layer declares; nil when it declares none.
    public func spatialReference() throws(GDALError) -> OGRSpatialReferenceInfo? {
        guard let srs = OGR_L_GetSpatialRef(handle) else { return nil }
        return try OGRSpatialReferenceInfo(srs)
    }

    /// The layer's extent in its own CRS (computed by a scan when the format keeps none); nil when empty.
    public func extent() -> (minX: Double, minY: Double, maxX: Double, maxY: Double)? {
        var envelope = OGREnvelope()
        guard OGR_L_GetExtent(handle, &envelope, 1) == OGRERR_NONE else { return nil }
        return (envelope.MinX, envelope.MinY, envelope.MaxX, envelope.MaxY)
    }

    /// Only features whose geometry's envelope meets the box (layer CRS) are read; nil clears it.
    public func setSpatialFilter(_ box: (minX: Double, minY: Double, maxX: Double, maxY: Double)?) {
        if let box {
            OGR_L_SetSpatialFilterRect(handle, box.minX, box.minY, box.maxX, box.maxY)
        } else {
            OGR_L_SetSpatialFilter(handle, nil)
        }
    }

    /// Reads every feature, in order.
    /// - Parameters:
    ///   - fieldIndexes: the fields whose values are wanted (indexes into `fields`), in the order
    ///     `body` receives them; the others are not read.
    ///   - log: the log the dataset was opened with; a failure GDAL reports while reading is thrown.
    ///   - body: the feature id, its geometry as 2D linear WKB (nil when it has none), its values.
    public func forEachFeature(
        fieldIndexes: [Int], log: GDALErrorLog,
        _ body: (Int64?, UnsafeRawBufferPointer?, [OGRFieldValue]) throws -> Void
    ) throws {
        let failuresBefore = log.messages.filter(\.isFailure).count
        OGR_L_ResetReading(handle)
        var wkb: [UInt8] = []
        while let feature = OGR_L_GetNextFeature(handle) {
            defer { OGR_F_Destroy(feature) }
            let fid = OGR_F_GetFID(feature)
            var values: [OGRFieldValue] = []
            values.reserveCapacity(fieldIndexes.count)
            for index in fieldIndexes {
                values.append(Self.value(of: feature, at: Int32(index)))
            }
            if let geometry = OGR_F_GetGeometryRef(feature), OGR_G_IsEmpty(geometry) == 0 {
                // Arcs and curves (DXF, DGN, GML) become line segments; Z and M are dropped.
                var linear: OGRGeometryH = geometry
                var owned: OGRGeometryH? = nil
                if OGR_G_HasCurveGeometry(geometry, 1) != 0, let converted = OGR_G_GetLinearGeometry(geometry, 0, nil) {
                    linear = converted
                    owned = converted
                }
                defer { if let owned { OGR_G_DestroyGeometry(owned) } }
                OGR_G_FlattenTo2D(linear)
                let size = Int(OGR_G_WkbSize(linear))
                if wkb.count < size { wkb = [UInt8](repeating: 0, count: size) }
                let exported = wkb.withUnsafeMutableBufferPointer { OGR_G_ExportToWkb(linear, wkbNDR, $0.baseAddress) }
                guard exported == OGRERR_NONE else {
                    throw GDALError(.readFailed, "feature \(fid): GDAL could not export its geometry")
                }
                try wkb.withUnsafeBytes { try body(fid == -1 ? nil : fid, UnsafeRawBufferPointer(rebasing: $0[0..<size]), values) }
            } else {
                try body(fid == -1 ? nil : fid, nil, values)
            }
        }
        let failures = log.messages.filter(\.isFailure)
        if failures.count > failuresBefore {
            // A broken file makes GDAL repeat itself per feature: each message once.
            var seen: Set<String> = []
            let distinct = failures[failuresBefore...].map(\.text).filter { seen.insert($0).inserted }
            throw GDALError(.readFailed, distinct.joined(separator: "; "))
        }
    }

    private static func value(of feature: OGRFeatureH, at index: Int32) -> OGRFieldValue {
        guard OGR_F_IsFieldSetAndNotNull(feature, index) != 0 else { return .null }
        guard let definition = OGR_F_GetFieldDefnRef(feature, index) else { return .null }
        switch OGR_Fld_GetType(definition) {
        case OFTInteger, OFTInteger64:
            return .integer(OGR_F_GetFieldAsInteger64(feature, index))
        case OFTReal:
            return .real(OGR_F_GetFieldAsDouble(feature, index))
        default:
            guard let text = OGR_F_GetFieldAsString(feature, index) else { return .null }
            let count = strlen(text)
            return .text(text.withMemoryRebound(to: UInt8.self, capacity: count) { Array(UnsafeBufferPointer(start: $0, count: count)) })
        }
    }
}
