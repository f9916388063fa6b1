import CairnCore
import CairnGDAL
import CairnSources
import CairnStyle
import Foundation

/// What `cairn validate` says about the sources a map reads through GDAL: one line per layer (driver,
/// features, extent, CRS), a warning per layer whose CRS looks like mislabelled VN-2000, and the
/// readers' own warnings (entities a DXF holds that GDAL skips…).
public enum OGRSourceValidation {
    public struct Line: Sendable, Equatable {
        /// Worth saying, not a failure.
        public var warning: Bool
        public var text: String
    }

    /// - Parameter remoteHosts: the configuration's `remote_hosts:`, as the map was loaded with.
    public static func check(_ map: LoadedMap, remoteHosts: Set<String>) throws -> [Line] {
        let used = Set(map.style.layers.compactMap(\.source))
        var lines: [Line] = []
        for id in used.sorted() {
            guard let source = map.style.sources[id], source.readsThroughOGR,
                  let reader = try SourceOpener.reader(for: source, remoteHosts: remoteHosts) as? OGRReader else { continue }
            for layer in try reader.describe() {
                lines.append(Line(warning: false, text: "\(source.path): layer \(layer.name) (GDAL \(layer.driver)): \(summary(of: layer, override: source.crs))"))
                if source.crs == nil, let crs = layer.spatialReference, let extent = layer.extent,
                   VN2000DatumCheck.suggestsMislabelledVN2000(crs, extent: extent) {
                    lines.append(Line(warning: true, text: mislabelledWarning(source: source, layer: layer.name, crs: crs, stylePath: map.configuration.stylePath)))
                }
            }
        }
        lines += map.dataWarnings.map { Line(warning: true, text: $0) }
        return lines
    }

    private static func summary(of layer: OGRLayerDescription, override: CRSDefinition?) -> String {
        let features = layer.featureCount.map { "\($0) features" } ?? "features not counted"
        let extent = layer.extent.map { "extent \(number($0.minX)), \(number($0.minY)) – \(number($0.maxX)), \(number($0.maxY))" } ?? "empty"
        let declared = layer.spatialReference.map(describe) ?? "no CRS"
        let crs = override.map { "CRS \($0) (set on the source; the data says \(declared))" } ?? "CRS \(declared)"
        return "\(features), \(extent), \(crs)"
    }

    private static func describe(_ crs: OGRSpatialReferenceInfo) -> String {
        let code = crs.authorityName.flatMap { name in crs.authorityCode.map { " (\(name):\($0))" } } ?? ""
        return "\"\(crs.name)\"\(code)"
    }

    private static func mislabelledWarning(source: StyleSource, layer: String, crs: OGRSpatialReferenceInfo, stylePath: String) -> String {
        let datum = crs.datumName.map { "datum \($0)" } ?? "no datum"
        return "\(source.path): layer \(layer): its CRS \(describe(crs)) is projected on \(datum) with no shift to WGS84, "
            + "but its coordinates lie in Vietnam when read as VN-2000: if the data is VN-2000 it will be drawn some 200–300 m off; "
            + "set \"crs\": \"EPSG:9210\" (or the VN-2000 CRS of its zone: EPSG:9205–9218 for TM-3, EPSG:3405/3406 for UTM 48N/49N) "
            + "on source \"\(source.id)\" in \(stylePath)"
    }

    private static func number(_ value: Double) -> String {
        abs(value) >= 1000 ? String(format: "%.0f", value) : String(format: "%.6f", value)
    }
}
