import Foundation

/// How a layer names its coordinate reference system: an EPSG code, or text that
/// PROJ understands (WKT1/ESRI WKT from a .prj, WKT2, a PROJ string).
public enum CRSDefinition: Hashable, Sendable, CustomStringConvertible {
    case epsg(Int)
    case text(String)

    public static let wgs84 = CRSDefinition.epsg(4326)
    public static let webMercator = CRSDefinition.epsg(3857)

    /// Parses "EPSG:9210", "epsg:4326", "urn:ogc:def:crs:EPSG::4326", "urn:ogc:def:crs:OGC:1.3:CRS84";
    /// anything else is kept as text for PROJ.
    public init(parsing string: String) {
        let trimmed = string.trimmingCharacters(in: .whitespacesAndNewlines)
        let upper = trimmed.uppercased()
        if upper.hasSuffix("CRS84") { self = .epsg(4326); return }
        if let range = upper.range(of: "EPSG:") {
            let tail = upper[range.upperBound...].split(separator: ":").last.map(String.init) ?? ""
            if let code = Int(tail) { self = .epsg(code); return }
        }
        self = .text(trimmed)
    }

    /// What PROJ's `proj_create` takes.
    public var projInput: String {
        switch self {
        case .epsg(let code): return "EPSG:\(code)"
        case .text(let text): return text
        }
    }

    public var description: String { projInput.count > 60 ? String(projInput.prefix(57)) + "..." : projInput }
}

