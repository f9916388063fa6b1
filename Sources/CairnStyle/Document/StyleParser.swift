import CairnCore

/// Walks the style JSON, validating it and compiling its layers.
struct StyleParser {
    let file: String
    private var warnings: [String] = []

    /// Root keys MapLibre knows that Cairn does not use.
    private static let ignoredRootKeys: Set<String> = [
        "glyphs", "bearing", "pitch", "transition", "light", "terrain", "sky", "projection", "state",
        "font-faces", "roll", "centerAltitude",
    ]
    private static let layerKeys: Set<String> = [
        "id", "type", "source", "source-layer", "minzoom", "maxzoom", "filter", "layout", "paint", "metadata",
    ]

    init(file: String) {
        self.file = file
    }

    mutating func parse(_ json: JSONValue) throws -> Style {
        guard let members = json.objectMembers else {
            throw StyleIssue("", "expected the style to be an object, got \(json.kindName)")
        }
        guard let version = json["version"] else {
            throw StyleIssue("version", "required property missing, expected 8")
        }
        guard version == .number(8) else { throw StyleIssue("version", "expected 8, got \(version.abbreviated)") }

        try validateClientProperties(json)
        let name = try optionalString(json["name"], at: "name")
        var center: Point?
        if let value = json["center"] {
            guard case .array(let items) = value, items.count == 2,
                  case .number(let lon) = items[0], case .number(let lat) = items[1] else {
                throw StyleIssue("center", "expected [longitude, latitude], got \(value.abbreviated)")
            }
            center = Point(x: lon, y: lat)
        }
        let zoom = try optionalNumber(json["zoom"], at: "zoom")

        guard let sourcesJSON = json["sources"] else {
            throw StyleIssue("sources", "required property missing, expected object")
        }
        guard let sourceMembers = sourcesJSON.objectMembers else {
            throw StyleIssue("sources", "expected object, got \(sourcesJSON.abbreviated)")
        }
        var sources: [String: StyleSource] = [:]
        for member in sourceMembers {
            sources[member.key] = try parseSource(member.value, id: member.key, at: "sources".jsonMember(member.key))
        }

        guard let layersJSON = json["layers"] else {
            throw StyleIssue("layers", "required property missing, expected array")
        }
        guard case .array(let layerItems) = layersJSON else {
            throw StyleIssue("layers", "expected array, got \(layersJSON.abbreviated)")
        }
        var layers: [StyleLayer] = []
        var ids: Set<String> = []
        for (index, item) in layerItems.enumerated() {
            let path = "layers".jsonElement(index)
            let layer = try parseLayer(item, at: path, sources: sources)
            guard ids.insert(layer.id).inserted else {
                throw StyleIssue(path.jsonMember("id"), "duplicate layer id \(JSONValue.quote(layer.id))")
            }
            layers.append(layer)
        }

        let sprites = try StyleSprite.parse(json["sprite"])
        for member in members where !["version", "name", "metadata", "center", "zoom", "sources", "layers", "sprite"].contains(member.key)
            && !StyleParser.ignoredRootKeys.contains(member.key) {
            warn(member.key, "unknown property, ignored")
        }
        var style = Style(name: name, metadata: json["metadata"], center: center, zoom: zoom, sources: sources,
                          layers: layers, warnings: warnings)
        style.sprites = sprites
        return style
    }

    /// Root properties only clients use (Cairn ignores them when drawing) are still checked as
    /// MapLibre checks them, so a style Cairn accepts also loads in MapLibre GL.
    private func validateClientProperties(_ json: JSONValue) throws {
        if json["constants"] != nil { throw StyleIssue("constants", "constants are not part of style version 8") }
        for key in ["pitch", "roll", "bearing", "centerAltitude"] { _ = try optionalNumber(json[key], at: key) }
        if let glyphs = try optionalString(json["glyphs"], at: "glyphs") {
            for token in ["{fontstack}", "{range}"] where !glyphs.contains(token) {
                throw StyleIssue("glyphs", "expected a URL with a \(token) token, got \(JSONValue.quote(glyphs))")
            }
        }
        if let faces = json["font-faces"], faces.objectMembers == nil {
            throw StyleIssue("font-faces", "expected object, got \(faces.abbreviated)")
        }
        if let light = json["light"] {
            guard let members = light.objectMembers else { throw StyleIssue("light", "expected object, got \(light.abbreviated)") }
            for member in members {
                let path = "light".jsonMember(member.key)
                switch member.key {
                case "anchor":
                    guard member.value == .string("map") || member.value == .string("viewport") else {
                        throw StyleIssue(path, "expected one of map, viewport, got \(member.value.abbreviated)")
                    }
                case "position":
                    guard let items = member.value.arrayValue, items.count == 3, items.allSatisfy({ $0.numberValue != nil }) else {
                        throw StyleIssue(path, "expected [radial, azimuthal, polar] numbers, got \(member.value.abbreviated)")
                    }
                case "color":
                    guard case .string(let text) = member.value, CSSColorParser.parse(text) != nil else {
                        throw StyleIssue(path, "expected a CSS color, got \(member.value.abbreviated)")
                    }
                case "intensity":
                    _ = try optionalNumber(member.value, at: path, range: 0...1)
                default:
                    throw StyleIssue(path, "unknown light property")
                }
            }
        }
    }

    private mutating func warn(_ path: String, _ message: String) {
        warnings.append("\(file): \(path): \(message)")
    }

    private func optionalString(_ json: JSONValue?, at path: String) throws -> String? {
        guard let json else { return nil }
        guard case .string(let s) = json else { throw StyleIssue(path, "expected string, got \(json.abbreviated)") }
        return s
    }

    private func optionalNumber(_ json: JSONValue?, at path: String, range: ClosedRange<Double>? = nil) throws -> Double? {
        guard let json else { return nil }
        guard case .number(let n) = json else { throw StyleIssue(path, "expected number, got \(json.abbreviated)") }
        if let range, !range.contains(n) {
            throw StyleIssue(path, "expected number between \(JSONValue.format(number: range.lowerBound)) and \(JSONValue.format(number: range.upperBound)), got \(json.abbreviated)")
        }
        return n
    }

    private mutating func parseSource(_ json: JSONValue, id: String, at path: String) throws -> StyleSource {
        guard case .object = json else { throw StyleIssue(path, "expected object, got \(json.abbreviated)") }
        guard let typeJSON = json["type"] else {
            throw StyleIssue(path.jsonMember("type"), "required property missing, expected one of vector, geojson")
        }
        guard case .string(let typeName) = typeJSON, let type = StyleSourceType(rawValue: typeName) else {
            throw StyleIssue(path.jsonMember("type"), "expected one of vector, geojson, got \(typeJSON.abbreviated)")
        }
        let pathKey = type == .geojson && json["url"] == nil ? "data" : "url"
        guard let locationJSON = json[pathKey] else {
            let wanted = type == .geojson ? "\"data\" or \"url\"" : "\"url\""
            throw StyleIssue(path.jsonMember(pathKey), "required property missing, expected \(wanted) with a file path")
        }
        guard case .string(var location) = locationJSON else {
            throw StyleIssue(path.jsonMember(pathKey), "expected a file path string, got \(locationJSON.abbreviated)")
        }
        let written = location
        if location.hasPrefix("postgis://") {
            for key in ["format", "open_options", "encoding", "remote"] where json[key] != nil {
                throw StyleIssue(path.jsonMember(key), "only for file sources, not postgis:// (PostgreSQL sends UTF-8 text and needs no GDAL options)")
            }
            return try parsePostGISSource(json, id: id, type: type, url: location, at: path)
        }
        if json["geometry"] != nil {
            throw StyleIssue(path.jsonMember("geometry"), "only for postgis:// sources (the geometry column of a table or view)")
        }
        let reading = try parseReadingOptions(json, at: path)
        if reading.remote {
            guard RemoteDataset.isRemote(location) else {
                throw StyleIssue(path.jsonMember(pathKey), "expected a remote dataset for \"remote\": true (/vsicurl/https://…, https://…, WFS:https://…), got \(locationJSON.abbreviated)")
            }
            let crs = try optionalString(json["crs"], at: path.jsonMember("crs")).map(CRSDefinition.init(parsing:))
            let attribution = try optionalString(json["attribution"], at: path.jsonMember("attribution"))
            let minzoom = try optionalNumber(json["minzoom"], at: path.jsonMember("minzoom"), range: 0...24) ?? 0
            let maxzoom = try optionalNumber(json["maxzoom"], at: path.jsonMember("maxzoom"), range: 0...24) ?? 22
            if minzoom > maxzoom { throw StyleIssue(path.jsonMember("minzoom"), "expected minzoom <= maxzoom") }
            return StyleSource(id: id, type: type, path: written, resolvedPath: RemoteDataset.gdalPath(location),
                               crs: crs, attribution: attribution, minzoom: minzoom, maxzoom: maxzoom,
                               format: .ogr, openOptions: reading.openOptions, encoding: reading.encoding, remote: true)
        }
        if location.hasPrefix("file://") { location = String(location.dropFirst("file://".count)) }
        // TileServer GL's spelling of a local MBTiles file of vector tiles.
        if location.hasPrefix("mbtiles://") { location = String(location.dropFirst("mbtiles://".count)) }
        if RemoteDataset.isRemote(location) {
            throw StyleIssue(path.jsonMember(pathKey), "\(locationJSON.abbreviated) is a remote dataset; Cairn reads remote data only when the source sets \"remote\": true and the configuration's remote_hosts: names the host")
        }
        if location.contains("://") || location.isEmpty {
            throw StyleIssue(path.jsonMember(pathKey), "expected a local file path, got \(locationJSON.abbreviated)")
        }
        if type != .vector && (written.hasPrefix("mbtiles://") || location.lowercased().hasSuffix(".mbtiles")) {
            throw StyleIssue(path.jsonMember("type"), "expected vector for an MBTiles source, got \(typeJSON.abbreviated)")
        }
        let crs = try optionalString(json["crs"], at: path.jsonMember("crs")).map(CRSDefinition.init(parsing:))
        let attribution = try optionalString(json["attribution"], at: path.jsonMember("attribution"))
        let minzoom = try optionalNumber(json["minzoom"], at: path.jsonMember("minzoom"), range: 0...24) ?? 0
        let maxzoom = try optionalNumber(json["maxzoom"], at: path.jsonMember("maxzoom"), range: 0...24)
            ?? (type == .geojson ? 18 : 22)
        if minzoom > maxzoom { throw StyleIssue(path.jsonMember("minzoom"), "expected minzoom <= maxzoom") }
        return StyleSource(id: id, type: type, path: written,
                           resolvedPath: StyleSource.resolve(location, relativeToStyleFile: file),
                           crs: crs, attribution: attribution, minzoom: minzoom, maxzoom: maxzoom,
                           format: reading.format, openOptions: reading.openOptions, encoding: reading.encoding)
    }

    /// Cairn's reading options of a file source: `"format"`, `"open_options"`, `"encoding"`, `"remote"`.
    private func parseReadingOptions(_ json: JSONValue, at path: String) throws
        -> (format: StyleSourceFormat, openOptions: [String: String], encoding: LegacyTextEncoding?, remote: Bool) {
        var format = StyleSourceFormat.automatic
        if let value = json["format"] {
            guard case .string(let name) = value, name == "ogr" else {
                throw StyleIssue(path.jsonMember("format"), "expected \"ogr\" (read the file with GDAL/OGR), got \(value.abbreviated)")
            }
            format = .ogr
        }
        var openOptions: [String: String] = [:]
        if let value = json["open_options"] {
            guard let members = value.objectMembers else {
                throw StyleIssue(path.jsonMember("open_options"), "expected an object of GDAL open options, e.g. {\"X_POSSIBLE_NAMES\": \"lon\"}, got \(value.abbreviated)")
            }
            for member in members {
                let at = path.jsonMember("open_options").jsonMember(member.key)
                guard !member.key.isEmpty, member.key.utf8.allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }) else {
                    throw StyleIssue(at, "expected an open option name of capital letters, digits and '_'")
                }
                switch member.value {
                case .string(let text): openOptions[member.key] = text
                case .number(let number): openOptions[member.key] = JSONValue.format(number: number)
                case .bool(let flag): openOptions[member.key] = flag ? "YES" : "NO"
                default: throw StyleIssue(at, "expected a string, number or boolean, got \(member.value.abbreviated)")
                }
            }
        }
        var encoding: LegacyTextEncoding?
        if let value = json["encoding"] {
            guard case .string(let name) = value, let known = LegacyTextEncoding(name: name) else {
                throw StyleIssue(path.jsonMember("encoding"), "expected one of \(LegacyTextEncoding.acceptedNames), got \(value.abbreviated)")
            }
            encoding = known
        }
        var remote = false
        if let value = json["remote"] {
            guard case .bool(let flag) = value else {
                throw StyleIssue(path.jsonMember("remote"), "expected true or false, got \(value.abbreviated)")
            }
            remote = flag
        }
        return (format, openOptions, encoding, remote)
    }

    /// `{"type": "vector", "url": "postgis://NAME"}`, with optional `"geometry"` and `"crs"` for views
    /// whose geometry column `geometry_columns` does not describe.
    private mutating func parsePostGISSource(_ json: JSONValue, id: String, type: StyleSourceType, url: String, at path: String) throws -> StyleSource {
        guard type == .vector else {
            throw StyleIssue(path.jsonMember("type"), "expected vector for a postgis:// source, got \(JSONValue.quote(type.rawValue))")
        }
        let name = String(url.dropFirst("postgis://".count))
        guard !name.isEmpty, name.utf8.count <= 64,
              name.utf8.first.map({ $0 >= 0x61 && $0 <= 0x7A }) == true,
              name.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F || $0 == 0x2D }) else {
            throw StyleIssue(path.jsonMember("url"), "expected postgis://NAME with NAME a database of the configuration's `databases:`, got \(JSONValue.quote(url))")
        }
        let geometry = try optionalString(json["geometry"], at: path.jsonMember("geometry"))
        if let geometry, geometry.isEmpty || geometry.utf8.count > 63 {
            throw StyleIssue(path.jsonMember("geometry"), "expected a column name of 1 to 63 bytes")
        }
        let crs = try optionalString(json["crs"], at: path.jsonMember("crs")).map(CRSDefinition.init(parsing:))
        let attribution = try optionalString(json["attribution"], at: path.jsonMember("attribution"))
        let minzoom = try optionalNumber(json["minzoom"], at: path.jsonMember("minzoom"), range: 0...24) ?? 0
        let maxzoom = try optionalNumber(json["maxzoom"], at: path.jsonMember("maxzoom"), range: 0...24) ?? 22
        if minzoom > maxzoom { throw StyleIssue(path.jsonMember("minzoom"), "expected minzoom <= maxzoom") }
        return StyleSource(id: id, type: type, path: url, resolvedPath: url, crs: crs, attribution: attribution,
                           minzoom: minzoom, maxzoom: maxzoom, database: name, geometryColumn: geometry)
    }

    private mutating func parseLayer(_ json: JSONValue, at path: String, sources: [String: StyleSource]) throws -> StyleLayer {
        guard let members = json.objectMembers else { throw StyleIssue(path, "expected object, got \(json.abbreviated)") }
        guard let idJSON = json["id"] else { throw StyleIssue(path.jsonMember("id"), "required property missing, expected string") }
        guard case .string(let id) = idJSON else { throw StyleIssue(path.jsonMember("id"), "expected string, got \(idJSON.abbreviated)") }
        if json["ref"] != nil { throw StyleIssue(path.jsonMember("ref"), "layer references are not supported") }
        let allowedTypes = StyleLayerType.allCases.map(\.rawValue).joined(separator: ", ")
        guard let typeJSON = json["type"] else {
            throw StyleIssue(path.jsonMember("type"), "required property missing, expected one of \(allowedTypes)")
        }
        guard case .string(let typeName) = typeJSON, let type = StyleLayerType(rawValue: typeName) else {
            throw StyleIssue(path.jsonMember("type"), "expected one of \(allowedTypes), got \(typeJSON.abbreviated)")
        }

        var source: String?
        var sourceLayer: String?
        var filter: Filter?
        if type != .background {
            guard let sourceJSON = json["source"] else {
                throw StyleIssue(path.jsonMember("source"), "required property missing, expected a source id")
            }
            guard case .string(let sourceID) = sourceJSON else {
                throw StyleIssue(path.jsonMember("source"), "expected string, got \(sourceJSON.abbreviated)")
            }
            guard sources[sourceID] != nil else {
                throw StyleIssue(path.jsonMember("source"), "unknown source \(JSONValue.quote(sourceID))")
            }
            source = sourceID
            sourceLayer = try optionalString(json["source-layer"], at: path.jsonMember("source-layer"))
            if let filterJSON = json["filter"] {
                filter = try Filter.parse(filterJSON, at: path.jsonMember("filter"))
            }
        } else {
            for key in ["source", "source-layer", "filter"] where json[key] != nil {
                warn(path.jsonMember(key), "not used by background layers, ignored")
            }
        }
        let minzoom = try optionalNumber(json["minzoom"], at: path.jsonMember("minzoom"), range: 0...24)
        let maxzoom = try optionalNumber(json["maxzoom"], at: path.jsonMember("maxzoom"), range: 0...24)

        let paint = try PropertyReader(json["paint"], at: path.jsonMember("paint"))
        let layout = try PropertyReader(json["layout"], at: path.jsonMember("layout"))
        var isVisible = true
        if let visibility = layout.raw("visibility") {
            guard case .string(let value) = visibility, value == "visible" || value == "none" else {
                throw StyleIssue(layout.path.jsonMember("visibility"), "expected one of visible, none, got \(visibility.abbreviated)")
            }
            isVisible = value == "visible"
        }

        var background: BackgroundProperties?
        var fill: FillProperties?
        var line: LineProperties?
        var circle: CircleProperties?
        var symbol: SymbolProperties?
        switch type {
        case .background: background = try BackgroundProperties(paint: paint, layout: layout)
        case .fill: fill = try FillProperties(paint: paint, layout: layout)
        case .line: line = try LineProperties(paint: paint, layout: layout)
        case .circle: circle = try CircleProperties(paint: paint, layout: layout)
        case .symbol: symbol = try SymbolProperties(paint: paint, layout: layout)
        }
        for unused in paint.unusedPaths + layout.unusedPaths {
            warn(unused, "unknown or unsupported property, ignored")
        }
        for member in members where !StyleParser.layerKeys.contains(member.key) && member.key != "ref" {
            warn(path.jsonMember(member.key), "unknown property, ignored")
        }
        let requiredAttributes = (filter?.attributeKeys ?? []).union(paint.attributeKeys).union(layout.attributeKeys)
        return StyleLayer(id: id, type: type, source: source, sourceLayer: sourceLayer, minzoom: minzoom,
                          maxzoom: maxzoom, isVisible: isVisible, filter: filter, background: background, fill: fill,
                          line: line, circle: circle, symbol: symbol, requiredAttributes: requiredAttributes,
                          metadata: json["metadata"])
    }
}
