import ArgumentParser
import CairnCore
import CairnEngine
import Foundation

/// `--bbox W,S,E,N [--bbox-crs EPSG:n]` or `--area FILE [--area-layer NAME]`.
struct AreaOptions: ParsableArguments {
    @Option(help: "Area as W,S,E,N (degrees, or units of --bbox-crs).")
    var bbox: String?

    @Option(help: "CRS of --bbox, e.g. EPSG:9210 (default EPSG:4326).")
    var bboxCrs: String?

    @Option(help: "Polygons bounding the area: a GeoJSON, GeoPackage or Shapefile (e.g. a city boundary).")
    var area: String?

    @Option(help: "Layer of --area to use (GeoPackage table).")
    var areaLayer: String?

    func validate() throws {
        if bbox != nil && area != nil { throw ValidationError("give --bbox or --area, not both") }
        if bboxCrs != nil && bbox == nil { throw ValidationError("--bbox-crs needs --bbox") }
    }

    func specification() throws -> AreaSpecification? {
        if let area {
            guard FileManager.default.fileExists(atPath: area) else { throw ValidationError("--area: file not found: \(area)") }
            return .polygons(path: URL(fileURLWithPath: area).standardized.path, layer: areaLayer)
        }
        guard let bbox else { return nil }
        let crs = bboxCrs.map(CRSDefinition.init(parsing:)) ?? .wgs84
        return .box(try parseBoundingBox(bbox, geographic: crs == .wgs84), crs: crs)
    }
}

/// Parses "W,S,E,N"; in degrees the values must be on the globe.
func parseBoundingBox(_ text: String, geographic: Bool = true) throws -> BoundingBox {
    let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
    guard values.count == 4, let w = values[0], let s = values[1], let e = values[2], let n = values[3], w < e, s < n else {
        throw ValidationError("--bbox: expected W,S,E,N with W < E and S < N, got \"\(text)\"")
    }
    if geographic && (w < -180 || e > 180 || s < -90 || n > 90) {
        throw ValidationError("--bbox: degrees out of range in \"\(text)\"; give --bbox-crs for projected coordinates")
    }
    return BoundingBox(minX: w, minY: s, maxX: e, maxY: n)
}

/// Parses "30m", "2h", "90s", "1h30m".
func parseDuration(_ text: String) throws -> Duration {
    var total = 0.0
    var number = ""
    for c in text {
        if c.isNumber || c == "." { number.append(c); continue }
        guard let value = Double(number) else { throw ValidationError("--max-duration: expected e.g. 30m, 2h, 90s, got \"\(text)\"") }
        switch c {
        case "h": total += value * 3600
        case "m": total += value * 60
        case "s": total += value
        default: throw ValidationError("--max-duration: unknown unit '\(c)' in \"\(text)\"; use h, m or s")
        }
        number = ""
    }
    if !number.isEmpty {
        guard let value = Double(number) else { throw ValidationError("--max-duration: expected e.g. 30m, got \"\(text)\"") }
        total += value
    }
    guard total > 0 else { throw ValidationError("--max-duration: must be more than zero") }
    return .milliseconds(Int64(total * 1000))
}
