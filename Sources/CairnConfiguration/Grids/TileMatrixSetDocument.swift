import CairnCore
import Foundation

/// OGC Two Dimensional Tile Matrix Set 2.0 JSON (OGC 17-083r4), read into a `TileGrid` and
/// written back. Cairn's grids have one top-left origin, one square tile size and one matrix
/// per zoom level whose identifier is its index, so documents outside that shape are refused
/// with an error naming the member at fault rather than approximated.
public enum TileMatrixSetDocument {
    /// Reads a TMS 2.0 document. `path` names the file in errors; its stem is the identifier
    /// when the document has no `id`.
    /// - Throws: `TileMatrixSetError`, e.g. `grids/x.json: tileMatrices[3].cellSize: expected a positive number`.
    public static func parse(_ data: Data, path: String) throws -> TileGrid {
        let reader = Reader(file: path)
        let root: JSONValue
        do {
            root = try JSONParser.parse([UInt8](data))
        } catch {
            throw TileMatrixSetError(.malformed, file: path, jsonPath: "", "expected a JSON document: \(error.message) at \(error.location)")
        }
        guard root.objectMembers != nil else {
            throw TileMatrixSetError(.malformed, file: path, jsonPath: "", "expected a JSON object")
        }
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let identifier = try reader.optionalString(root["id"], at: "id") ?? stem
        guard isValidIdentifier(identifier) else {
            throw reader.error(.invalid, "id", "expected 1 to 64 letters, digits, '.', '_' or '-'")
        }
        let title = try reader.optionalString(root["title"], at: "title")
        let uri = try reader.optionalString(root["uri"], at: "uri")
        let crs = try reader.crs(root["crs"], at: "crs")
        let axes = try reader.axisOrder(root["orderedAxes"], crs: crs)

        if let variable = root["variableMatrixWidths"], !(variable.arrayValue?.isEmpty ?? variable.isNull) {
            throw reader.error(.unsupported, "variableMatrixWidths", "variable matrix widths are not supported")
        }
        guard let matrices = root["tileMatrices"]?.arrayValue, !matrices.isEmpty else {
            throw reader.error(.invalid, "tileMatrices", "expected a non-empty array of tile matrices")
        }
        var levels: [Level] = []
        levels.reserveCapacity(matrices.count)
        for (index, element) in matrices.enumerated() {
            levels.append(try reader.level(element, index: index, axes: axes, crs: crs, previous: levels.last))
        }

        let first = levels[0]
        var extent: BoundingBox
        if let box = root["boundingBox"], !box.isNull {
            extent = try reader.boundingBox(box, at: "boundingBox", axes: axes)
        } else {
            // The smallest area every level covers: each level's matrix size is then reproduced exactly.
            extent = BoundingBox(minX: first.origin.x, minY: -.infinity, maxX: .infinity, maxY: first.origin.y)
            for level in levels {
                let span = level.cellSize * Double(level.tileSize)
                extent.maxX = min(extent.maxX, first.origin.x + Double(level.matrixWidth) * span)
                extent.minY = max(extent.minY, first.origin.y - Double(level.matrixHeight) * span)
            }
        }
        let grid = TileGrid(
            identifier: identifier, crs: crs.definition, extent: extent, origin: first.origin, tileSize: first.tileSize,
            resolutions: levels.map(\.cellSize), title: title, isGeographic: axes.isGeographic, uri: uri
        )
        for (z, level) in levels.enumerated() {
            let size = grid.matrixSize(at: z)
            if size.columns != level.matrixWidth {
                throw reader.error(.invalid, "tileMatrices[\(z)].matrixWidth", "expected \(size.columns) to match the grid's extent, found \(level.matrixWidth)")
            }
            if size.rows != level.matrixHeight {
                throw reader.error(.invalid, "tileMatrices[\(z)].matrixHeight", "expected \(size.rows) to match the grid's extent, found \(level.matrixHeight)")
            }
        }
        return grid
    }

    /// A TMS 2.0 document for `grid`. Coordinates are written easting (longitude) first and
    /// `orderedAxes` says so; EPSG:4326 grids are written as OGC CRS84, which is that order.
    /// - Parameter links: OGC API link objects (`rel`, `href`, `type`, `title`) to include.
    public static func encode(_ grid: TileGrid, links: [JSONValue] = []) -> JSONValue {
        let crs = crsObject(grid.crs, isGeographic: grid.isGeographic)
        var matrices: [JSONValue] = []
        matrices.reserveCapacity(grid.resolutions.count)
        for z in grid.resolutions.indices {
            let size = grid.matrixSize(at: z)
            matrices.append([
                "id": JSONValue(String(z)),
                "scaleDenominator": JSONValue(grid.scaleDenominator(at: z)),
                "cellSize": JSONValue(grid.resolutions[z]),
                "cornerOfOrigin": "topLeft",
                "pointOfOrigin": [JSONValue(grid.origin.x), JSONValue(grid.origin.y)],
                "tileWidth": JSONValue(grid.tileSize),
                "tileHeight": JSONValue(grid.tileSize),
                "matrixWidth": JSONValue(size.columns),
                "matrixHeight": JSONValue(size.rows),
            ])
        }
        var document: JSONValue = [
            "id": JSONValue(grid.identifier),
            "title": JSONValue(grid.title),
            "crs": crs,
            "orderedAxes": grid.isGeographic ? ["Lon", "Lat"] : ["E", "N"],
            "boundingBox": [
                "lowerLeft": [JSONValue(grid.extent.minX), JSONValue(grid.extent.minY)],
                "upperRight": [JSONValue(grid.extent.maxX), JSONValue(grid.extent.maxY)],
                "crs": crs,
            ],
            "tileMatrices": .array(matrices),
        ]
        if let uri = grid.uri { document[member: "uri"] = JSONValue(uri) }
        if let wkss = wellKnownScaleSet(grid) { document[member: "wellKnownScaleSet"] = JSONValue(wkss) }
        if !links.isEmpty { document[member: "links"] = .array(links) }
        return document
    }

    /// `encode(_:links:)` as JSON bytes, numbers exact.
    public static func encodedData(_ grid: TileGrid, links: [JSONValue] = []) -> Data {
        Data(encode(grid, links: links).text.utf8)
    }

    /// The OGC CRS URI of a grid's CRS (CRS84 for geographic EPSG:4326 grids), or nil for CRSs given as text.
    public static func crsURI(_ crs: CRSDefinition, isGeographic: Bool) -> String? {
        switch crs {
        case .epsg(4326) where isGeographic: return crs84URI
        case .epsg(let code): return "http://www.opengis.net/def/crs/EPSG/0/\(code)"
        case .text: return nil
        }
    }

    public static let crs84URI = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

    /// The `crs` member for a grid: its URI, or `{"wkt": ...}` for a CRS given as text.
    public static func crsObject(_ crs: CRSDefinition, isGeographic: Bool) -> JSONValue {
        if let uri = crsURI(crs, isGeographic: isGeographic) { return JSONValue(uri) }
        return ["wkt": JSONValue(crs.projInput)]
    }

    static func wellKnownScaleSet(_ grid: TileGrid) -> String? {
        switch grid.uri {
        case TileGrid.webMercator.uri: return "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible"
        case TileGrid.worldCRS84Quad.uri: return "http://www.opengis.net/def/wkss/OGC/1.0/GoogleCRS84Quad"
        default: return nil
        }
    }

    /// Identifiers appear in URLs and file names: a short, plain alphabet.
    public static func isValidIdentifier(_ identifier: String) -> Bool {
        (1...64).contains(identifier.utf8.count) && identifier.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2E || c == 0x5F || c == 0x2D
        } && identifier != "." && identifier != ".."
    }

    /// Geographic EPSG CRSs Cairn recognises without PROJ; by EPSG definition they are latitude first.
    static let geographicEPSGCodes: Set<Int> = [4326, 4258, 4269, 4283, 4167, 4490, 4612, 4674, 4756, 6668, 7844]

    struct ParsedCRS {
        var definition: CRSDefinition
        var isCRS84: Bool
    }

    struct AxisOrder {
        var northingFirst: Bool
        var isGeographic: Bool
    }

    struct Level {
        var cellSize: Double
        var origin: Point
        var tileSize: Int
        var matrixWidth: Int
        var matrixHeight: Int
    }

    /// Reads members and builds errors that name the file and the JSON path.
    struct Reader {
        let file: String

        func error(_ code: TileMatrixSetError.Code, _ jsonPath: String, _ message: String) -> TileMatrixSetError {
            TileMatrixSetError(code, file: file, jsonPath: jsonPath, message)
        }

        func optionalString(_ value: JSONValue?, at jsonPath: String) throws -> String? {
            guard let value, !value.isNull else { return nil }
            guard let string = value.stringValue, !string.isEmpty else { throw error(.invalid, jsonPath, "expected a non-empty string") }
            return string
        }

        func number(_ value: JSONValue?, at jsonPath: String, what: String = "a positive number") throws -> Double {
            guard let double = value?.numberValue, double.isFinite else { throw error(.invalid, jsonPath, "expected \(what)") }
            return double
        }

        func positiveNumber(_ value: JSONValue?, at jsonPath: String) throws -> Double {
            let double = try number(value, at: jsonPath)
            guard double > 0 else { throw error(.invalid, jsonPath, "expected a positive number") }
            return double
        }

        func positiveInteger(_ value: JSONValue?, at jsonPath: String) throws -> Int {
            let double = try number(value, at: jsonPath, what: "a positive integer")
            guard double >= 1, double <= 1e9, double == double.rounded() else { throw error(.invalid, jsonPath, "expected a positive integer") }
            return Int(double)
        }

        func pair(_ value: JSONValue?, at jsonPath: String, axes: AxisOrder) throws -> Point {
            guard let array = value?.arrayValue, array.count == 2 else { throw error(.invalid, jsonPath, "expected an array of two numbers") }
            let a = try number(array[0], at: "\(jsonPath)[0]", what: "a number")
            let b = try number(array[1], at: "\(jsonPath)[1]", what: "a number")
            return axes.northingFirst ? Point(b, a) : Point(a, b)
        }

        func crs(_ value: JSONValue?, at jsonPath: String) throws -> ParsedCRS {
            let expected = "expected an EPSG or OGC CRS84 URI, \"EPSG:n\", {\"uri\": ...} or {\"wkt\": ...}"
            if let string = value?.stringValue {
                guard let parsed = Self.crs(uri: string) else { throw error(.invalid, jsonPath, expected) }
                return parsed
            }
            if let object = value, object.objectMembers != nil {
                if let uri = object["uri"] {
                    guard let string = uri.stringValue, let parsed = Self.crs(uri: string) else { throw error(.invalid, "\(jsonPath).uri", expected) }
                    return parsed
                }
                if let wkt = object["wkt"] {
                    if let text = wkt.stringValue, !text.isEmpty { return ParsedCRS(definition: .text(text), isCRS84: false) }
                    // PROJJSON: PROJ reads it as text.
                    if wkt.objectMembers != nil {
                        return ParsedCRS(definition: .text(wkt.text), isCRS84: false)
                    }
                    throw error(.invalid, "\(jsonPath).wkt", "expected WKT text or a PROJJSON object")
                }
                if object["referenceSystem"] != nil {
                    throw error(.unsupported, "\(jsonPath).referenceSystem", "reference systems other than a URI or WKT are not supported")
                }
            }
            throw error(.invalid, jsonPath, expected)
        }

        /// "http(s)://www.opengis.net/def/crs/EPSG/0/9210", "EPSG:9210", "[EPSG:9210]",
        /// "urn:ogc:def:crs:EPSG::9210", and CRS84 in URI, URN or CURIE form.
        static func crs(uri raw: String) -> ParsedCRS? {
            var text = raw.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
            let upper = text.uppercased()
            for prefix in ["HTTP://WWW.OPENGIS.NET/DEF/CRS/", "HTTPS://WWW.OPENGIS.NET/DEF/CRS/"] where upper.hasPrefix(prefix) {
                let parts = upper.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false)
                guard parts.count == 3 else { return nil }
                if parts[0] == "OGC", parts[2] == "CRS84" { return ParsedCRS(definition: .wgs84, isCRS84: true) }
                guard parts[0] == "EPSG", let code = epsgCode(parts[2]) else { return nil }
                return ParsedCRS(definition: .epsg(code), isCRS84: false)
            }
            if upper == "OGC:CRS84" || upper == "URN:OGC:DEF:CRS:OGC:1.3:CRS84" || upper == "URN:OGC:DEF:CRS:OGC::CRS84" || upper == "CRS84" {
                return ParsedCRS(definition: .wgs84, isCRS84: true)
            }
            if upper.hasPrefix("EPSG:"), let code = epsgCode(upper.dropFirst(5)) { return ParsedCRS(definition: .epsg(code), isCRS84: false) }
            if upper.hasPrefix("URN:OGC:DEF:CRS:EPSG:") {
                let tail = upper.dropFirst("URN:OGC:DEF:CRS:EPSG:".count).split(separator: ":", omittingEmptySubsequences: false).last ?? ""
                if let code = epsgCode(tail) { return ParsedCRS(definition: .epsg(code), isCRS84: false) }
            }
            return nil
        }

        static func epsgCode(_ text: some StringProtocol) -> Int? {
            guard (1...6).contains(text.utf8.count), text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let code = Int(text), code > 0 else { return nil }
            return code
        }

        func axisOrder(_ value: JSONValue?, crs: ParsedCRS) throws -> AxisOrder {
            let knownGeographic: Bool
            switch crs.definition {
            case .epsg(let code): knownGeographic = geographicEPSGCodes.contains(code)
            case .text: knownGeographic = false
            }
            guard let value, !value.isNull else {
                return AxisOrder(northingFirst: knownGeographic && !crs.isCRS84, isGeographic: knownGeographic)
            }
            guard let axes = value.arrayValue, axes.count == 2, let first = axes[0].stringValue, let second = axes[1].stringValue else {
                throw error(.invalid, "orderedAxes", "expected an array of two axis abbreviations")
            }
            let northing: Set<String> = ["LAT", "LATITUDE", "N", "NORTHING", "NORTH", "Y"]
            let easting: Set<String> = ["LON", "LONG", "LONGITUDE", "E", "EASTING", "EAST", "X"]
            let a = first.uppercased(), b = second.uppercased()
            let northingFirst: Bool
            if northing.contains(a) && easting.contains(b) {
                northingFirst = true
            } else if easting.contains(a) && northing.contains(b) {
                northingFirst = false
            } else {
                throw error(.unsupported, "orderedAxes", "expected an easting/longitude and a northing/latitude axis, found \"\(first)\", \"\(second)\"")
            }
            let angular = ["LAT", "LATITUDE", "LON", "LONG", "LONGITUDE"].contains(a)
            return AxisOrder(northingFirst: northingFirst, isGeographic: angular || knownGeographic)
        }

        func level(_ value: JSONValue, index: Int, axes: AxisOrder, crs: ParsedCRS, previous: Level?) throws -> Level {
            let at = "tileMatrices[\(index)]"
            guard value.objectMembers != nil else { throw error(.invalid, at, "expected a tile matrix object") }
            let matrix = value
            guard let id = matrix["id"]?.stringValue else { throw error(.invalid, "\(at).id", "expected a string") }
            guard id == String(index) else {
                throw error(.unsupported, "\(at).id", "expected \"\(index)\": tile matrices must be numbered from \"0\" in order, found \"\(id)\"")
            }
            if let corner = matrix["cornerOfOrigin"], !corner.isNull {
                guard let name = corner.stringValue else { throw error(.invalid, "\(at).cornerOfOrigin", "expected \"topLeft\" or \"bottomLeft\"") }
                guard name == "topLeft" else {
                    throw error(.unsupported, "\(at).cornerOfOrigin", "only \"topLeft\" is supported, found \"\(name)\"")
                }
            }
            if let variable = matrix["variableMatrixWidths"], !(variable.arrayValue?.isEmpty ?? variable.isNull) {
                throw error(.unsupported, "\(at).variableMatrixWidths", "variable matrix widths are not supported")
            }
            let metersPerUnit = axes.isGeographic ? 6_378_137 * 2 * Double.pi / 360 : 1
            let scaleDenominator = try positiveNumber(matrix["scaleDenominator"], at: "\(at).scaleDenominator")
            let cellSize: Double
            if let value = matrix["cellSize"], !value.isNull {
                cellSize = try positiveNumber(value, at: "\(at).cellSize")
            } else {
                cellSize = scaleDenominator * 0.000_28 / metersPerUnit
            }
            let origin = try pair(matrix["pointOfOrigin"], at: "\(at).pointOfOrigin", axes: axes)
            let tileWidth = try positiveInteger(matrix["tileWidth"], at: "\(at).tileWidth")
            let tileHeight = try positiveInteger(matrix["tileHeight"], at: "\(at).tileHeight")
            guard tileWidth == tileHeight else {
                throw error(.unsupported, "\(at).tileHeight", "expected square tiles (\(tileWidth)), found \(tileHeight)")
            }
            let level = Level(
                cellSize: cellSize, origin: origin, tileSize: tileWidth,
                matrixWidth: try positiveInteger(matrix["matrixWidth"], at: "\(at).matrixWidth"),
                matrixHeight: try positiveInteger(matrix["matrixHeight"], at: "\(at).matrixHeight")
            )
            if let previous {
                guard cellSize < previous.cellSize else {
                    throw error(.invalid, "\(at).cellSize", "expected a cell size smaller than tileMatrices[\(index - 1)]'s \(previous.cellSize)")
                }
                guard tileWidth == previous.tileSize else {
                    throw error(.unsupported, "\(at).tileWidth", "expected the same tile size on every level (\(previous.tileSize)), found \(tileWidth)")
                }
                let tolerance = max(abs(previous.origin.x), abs(previous.origin.y), cellSize) * 1e-9
                guard abs(origin.x - previous.origin.x) <= tolerance, abs(origin.y - previous.origin.y) <= tolerance else {
                    throw error(.unsupported, "\(at).pointOfOrigin", "expected the same point of origin on every level")
                }
            }
            return level
        }

        func boundingBox(_ value: JSONValue, at jsonPath: String, axes: AxisOrder) throws -> BoundingBox {
            guard value.objectMembers != nil else { throw error(.invalid, jsonPath, "expected an object with lowerLeft and upperRight") }
            let object = value
            let lower = try pair(object["lowerLeft"], at: "\(jsonPath).lowerLeft", axes: axes)
            let upper = try pair(object["upperRight"], at: "\(jsonPath).upperRight", axes: axes)
            guard lower.x < upper.x, lower.y < upper.y else {
                throw error(.invalid, "\(jsonPath).upperRight", "expected a corner above and to the right of lowerLeft")
            }
            return BoundingBox(minX: lower.x, minY: lower.y, maxX: upper.x, maxY: upper.y)
        }
    }
}
