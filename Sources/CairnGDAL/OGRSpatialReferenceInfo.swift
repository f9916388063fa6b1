import CGDAL

/// What a layer's spatial reference says, read out of GDAL so nothing of GDAL outlives the dataset.
public struct OGRSpatialReferenceInfo: Sendable, Equatable {
    /// "EPSG" and 9210 when the CRS as a whole carries an authority code.
    public var authorityName: String?
    public var authorityCode: Int?
    /// The CRS as WKT2 (2019), for PROJ.
    public var wkt: String
    /// The CRS's name, e.g. "VN-2000 / TM-3 105-45".
    public var name: String
    public var isProjected: Bool
    public var isGeographic: Bool
    /// The datum's name, e.g. "Vietnam_2000" or "WGS_1984".
    public var datumName: String?
    /// Whether the CRS carries a TOWGS84 datum shift (seven parameters or three).
    public var hasTOWGS84: Bool

    init(_ srs: OGRSpatialReferenceH) throws(GDALError) {
        func string(_ pointer: UnsafePointer<CChar>?) -> String? { pointer.map { String(cString: $0) } }
        authorityName = string(OSRGetAuthorityName(srs, nil))
        authorityCode = string(OSRGetAuthorityCode(srs, nil)).flatMap { Int($0) }
        name = string(OSRGetName(srs)) ?? ""
        isProjected = OSRIsProjected(srs) != 0
        isGeographic = OSRIsGeographic(srs) != 0
        datumName = string(OSRGetAttrValue(srs, "DATUM", 0))
        var shift = [Double](repeating: 0, count: 7)
        hasTOWGS84 = shift.withUnsafeMutableBufferPointer { OSRGetTOWGS84(srs, $0.baseAddress, 7) } == OGRERR_NONE
        var text: UnsafeMutablePointer<CChar>? = nil
        let options: [String] = ["FORMAT=WKT2_2019"]
        var list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
        for option in options { list = CSLAddString(list, option) }
        defer { CSLDestroy(list) }
        guard OSRExportToWktEx(srs, &text, list.map { UnsafeRawPointer($0).assumingMemoryBound(to: UnsafePointer<CChar>?.self) }) == OGRERR_NONE, let text else {
            throw GDALError(.badSpatialReference, "GDAL could not write the layer's CRS as WKT")
        }
        defer { VSIFree(text) }
        wkt = String(cString: text)
    }
}
