import CairnCore
import CairnGDAL
import CairnProjection

/// Government files often hold VN-2000 coordinates labelled with a projection on WGS84 (or on no
/// datum): a MapInfo TAB saved with the wrong datum, a shapefile with a hand-made .prj. Read as
/// labelled, the map is drawn some 200–300 m off. The coordinates give it away: read as VN-2000
/// TM-3 (EPSG:9210; the other TM-3 zones and UTM 48N/49N land within a few degrees of it) they
/// fall inside Vietnam.
enum VN2000DatumCheck {
    /// Vietnam, with its islands, in degrees.
    static let vietnam = BoundingBox(minX: 102, minY: 8, maxX: 110, maxY: 24)

    /// VN-2000 itself and its projected CRSs (TM-3 zones 9205–9218, UTM 48N/49N, TM-3 and UTM of
    /// EPSG's older codes): a label that already says VN-2000 has its datum.
    static let vn2000Codes: Set<Int> = Set([4756, 3405, 3406] + Array(5896...5899) + Array(9205...9218))

    /// Whether `crs` is projected, carries no shift to WGS84, is not VN-2000, and `extent` (in the
    /// layer's own coordinates) lies in Vietnam when read as VN-2000.
    static func suggestsMislabelledVN2000(_ crs: OGRSpatialReferenceInfo, extent: BoundingBox) -> Bool {
        guard crs.isProjected, !crs.hasTOWGS84, !isVN2000(crs), !extent.isEmpty else { return false }
        // Projected metres, not degrees: a TM-3 or UTM northing in Vietnam is 0.9–2.7 million.
        guard extent.minX > 100_000, extent.maxX < 900_000, extent.minY > 800_000, extent.maxY < 2_800_000 else { return false }
        guard let degrees = try? transformBoundingBox(extent, from: .epsg(9210), to: .wgs84) else { return false }
        return degrees.minX >= vietnam.minX && degrees.maxX <= vietnam.maxX && degrees.minY >= vietnam.minY && degrees.maxY <= vietnam.maxY
    }

    static func isVN2000(_ crs: OGRSpatialReferenceInfo) -> Bool {
        if crs.authorityName?.uppercased() == "EPSG", let code = crs.authorityCode, vn2000Codes.contains(code) { return true }
        let datum = (crs.datumName ?? "").lowercased().filter { $0.isLetter || $0.isNumber }
        return datum.contains("vietnam") || datum.contains("vn2000")
    }
}
