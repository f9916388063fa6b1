import CairnAccess
import CairnCore
import Foundation
import Yams

extension CairnConfiguration {
    /// Reads and checks a YAML configuration file. Every problem is reported with the
    /// file, line and key path, e.g. `cairn.yaml:9: maps[0].metatile: expected an integer from 1 to 16, got "big"`.
    public static func load(path: String) throws -> CairnConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationErrors(problems: [ConfigurationError(file: path, line: nil, keyPath: "", message: "cannot read the file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationErrors(problems: [ConfigurationError(file: path, line: nil, keyPath: "", message: "expected UTF-8 text")])
        }
        return try parse(yaml: text, path: path)
    }

    /// Parses YAML text; relative paths in it are resolved against the folder of `path`.
    public static func parse(yaml text: String, path: String) throws -> CairnConfiguration {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigurationErrors(problems: [ConfigurationError(file: path, line: Self.line(of: error), keyPath: "", message: "not valid YAML: \(Self.problem(of: error))")])
        }
        var reader = ConfigurationReader(file: path)
        let baseDirectory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let configuration = reader.read(node, baseDirectory: baseDirectory)
        if !reader.problems.isEmpty { throw ConfigurationErrors(problems: reader.problems).inLineOrder() }
        return configuration
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _): return mark.line
        default: return nil
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _): return problem
        default: return String(describing: error)
        }
    }
}

/// Walks the YAML tree, collecting every problem instead of stopping at the first.
struct ConfigurationReader {
    let file: String
    var problems: [ConfigurationError] = []
    /// Built-in grids plus those the file defines, for checking the maps' `grids`.
    var knownGrids: Set<String> = Set(TileGrid.builtIn.map(\.identifier))

    init(file: String) { self.file = file }

    mutating func problem(_ node: Node?, _ keyPath: String, _ message: String) {
        problems.append(ConfigurationError(file: file, line: node?.mark?.line, keyPath: keyPath, message: message))
    }

    mutating func read(_ root: Node?, baseDirectory: String) -> CairnConfiguration {
        var configuration = CairnConfiguration(cacheDirectory: resolve("tiles-cache", against: baseDirectory), maps: [], sourcePath: file)
        guard let root else {
            problem(nil, "", "the file is empty; expected a mapping with `maps`")
            return configuration
        }
        guard let mapping = root.mapping else {
            problem(root, "", "expected a mapping with `listen`, `cache` and `maps`")
            return configuration
        }
        checkKeys(mapping, allowed: ["listen", "cache", "service", "grids", "maps", "auth", "limits", "databases", "remote_hosts", "cluster"], at: "")
        if let limits = mapping["limits"] {
            let (value, found) = LimitsConfiguration.read(limits, file: file)
            configuration.limits = value
            problems += found
        }
        if let service = mapping["service"] {
            configuration.service = readService(service)
        }
        if let grids = mapping["grids"] {
            readGrids(grids, into: &configuration, baseDirectory: baseDirectory)
        }
        knownGrids = Set(configuration.grids.keys)
        if let listen = mapping["listen"] {
            if let listenMapping = listen.mapping {
                checkKeys(listenMapping, allowed: ["host", "port"], at: "listen")
                if let host = listenMapping["host"] {
                    if let value = host.string, !value.isEmpty { configuration.host = value } else { problem(host, "listen.host", "expected a host name or address") }
                }
                if let port = listenMapping["port"] {
                    if let value = port.int, (1...65535).contains(value) { configuration.port = value }
                    else { problem(port, "listen.port", "expected an integer from 1 to 65535, got \(describe(port))") }
                }
            } else {
                problem(listen, "listen", "expected a mapping with `host` and `port`")
            }
        }
        if let cache = mapping["cache"] {
            if let cacheMapping = cache.mapping {
                checkKeys(cacheMapping, allowed: ["directory", "memory"], at: "cache")
                if let directory = cacheMapping["directory"] {
                    if let value = directory.string, !value.isEmpty { configuration.cacheDirectory = resolve(value, against: baseDirectory) }
                    else { problem(directory, "cache.directory", "expected a folder path") }
                }
                if let memory = cacheMapping["memory"] {
                    if let bytes = memory.int.flatMap({ $0 >= 0 ? $0 : nil }) ?? memory.string.flatMap(Self.byteSize) {
                        configuration.memoryCacheBytes = bytes
                    } else {
                        problem(memory, "cache.memory", "expected a size such as 256MB, 1GB or 0 (off), got \(describe(memory))")
                    }
                }
            } else {
                problem(cache, "cache", "expected a mapping with `directory` and/or `memory`")
            }
        }
        if let auth = mapping["auth"] {
            configuration.auth = readAuth(auth, baseDirectory: baseDirectory)
        }
        if let databases = mapping["databases"] {
            configuration.databases = readDatabases(databases, baseDirectory: baseDirectory)
        }
        if let remoteHosts = mapping["remote_hosts"] {
            configuration.remoteHosts = readRemoteHosts(remoteHosts)
        }
        if let cluster = mapping["cluster"] {
            configuration.cluster = readCluster(cluster)
        }
        guard let maps = mapping["maps"] else {
            problem(root, "maps", "missing; expected a list of maps, each with `name` and `style`")
            return configuration
        }
        guard let list = maps.sequence else {
            problem(maps, "maps", "expected a list of maps, each with `name` and `style`")
            return configuration
        }
        if list.isEmpty { problem(maps, "maps", "expected at least one map") }
        var names: Set<String> = []
        for (index, item) in list.enumerated() {
            let path = "maps[\(index)]"
            guard let map = readMap(item, path: path, baseDirectory: baseDirectory) else { continue }
            if !names.insert(map.name).inserted {
                problem(item, path + ".name", "duplicate map name \"\(map.name)\"")
            }
            configuration.maps.append(map)
        }
        return configuration
    }

    mutating func readMap(_ node: Node, path: String, baseDirectory: String) -> MapConfiguration? {
        guard let mapping = node.mapping else {
            problem(node, path, "expected a mapping with `name` and `style`")
            return nil
        }
        checkKeys(mapping, allowed: ["name", "style", "title", "attribution", "metatile", "minzoom", "maxzoom", "scales", "max_age", "serve_stale", "refresh_zooms", "grids", "access", "embed_origins", "format"], at: path)
        var ok = true
        var name = ""
        if let node = mapping["name"], let value = node.string {
            if MapConfiguration.isValidName(value) { name = value }
            else { problem(node, path + ".name", "expected lowercase letters, digits and '-' (at most 64, starting with a letter or digit), got \(describe(node))"); ok = false }
        } else {
            problem(mapping["name"] ?? node, path + ".name", "missing; expected the map's URL name, e.g. hai-phong"); ok = false
        }
        var stylePath = ""
        if let node = mapping["style"], let value = node.string, !value.isEmpty {
            stylePath = resolve(value, against: baseDirectory)
            if !FileManager.default.fileExists(atPath: stylePath) {
                problem(node, path + ".style", "file not found: \(value) (looked for \(stylePath))"); ok = false
            }
        } else {
            problem(mapping["style"] ?? node, path + ".style", "missing; expected the path of a MapLibre style JSON file"); ok = false
        }
        var map = MapConfiguration(name: name, stylePath: stylePath)
        if let node = mapping["title"] {
            if let value = node.string { map.title = value } else { problem(node, path + ".title", "expected text"); ok = false }
        }
        if let node = mapping["attribution"] {
            if let value = node.string { map.attribution = value } else { problem(node, path + ".attribution", "expected text"); ok = false }
        }
        if let node = mapping["metatile"] {
            if let value = node.int, (1...16).contains(value) { map.metatileSize = value }
            else { problem(node, path + ".metatile", "expected an integer from 1 to 16, got \(describe(node))"); ok = false }
        }
        if let node = mapping["minzoom"] {
            if let value = node.int, (0...24).contains(value) { map.minZoom = value }
            else { problem(node, path + ".minzoom", "expected an integer from 0 to 24, got \(describe(node))"); ok = false }
        }
        if let node = mapping["maxzoom"] {
            if let value = node.int, (0...24).contains(value) { map.maxZoom = value }
            else { problem(node, path + ".maxzoom", "expected an integer from 0 to 24, got \(describe(node))"); ok = false }
        }
        if map.minZoom > map.maxZoom {
            problem(mapping["minzoom"] ?? node, path + ".minzoom", "minzoom \(map.minZoom) is above maxzoom \(map.maxZoom)"); ok = false
        }
        if let node = mapping["scales"] {
            let values = node.sequence?.compactMap { $0.int } ?? []
            if let sequence = node.sequence, values.count == sequence.count, !values.isEmpty, values.allSatisfy({ $0 == 1 || $0 == 2 }) {
                map.scales = Array(Set(values)).sorted()
            } else {
                problem(node, path + ".scales", "expected a list of scales from [1, 2], got \(describe(node))"); ok = false
            }
        }
        if let node = mapping["max_age"] {
            if let value = node.int, value >= 0 { map.maxAgeSeconds = value }
            else { problem(node, path + ".max_age", "expected a number of seconds, got \(describe(node))"); ok = false }
        }
        if let node = mapping["grids"] {
            let names = node.sequence?.compactMap { $0.string } ?? []
            let known = knownGrids.sorted()
            if let sequence = node.sequence, !names.isEmpty, names.count == sequence.count, names.allSatisfy(known.contains) {
                var seen: Set<String> = []
                map.grids = names.filter { seen.insert($0).inserted }
            } else {
                problem(node, path + ".grids", "expected a list of tile grids from \(known.joined(separator: ", ")), got \(describe(node))"); ok = false
            }
        }
        if let node = mapping["serve_stale"] {
            if let value = node.bool { map.serveStale = value }
            else { problem(node, path + ".serve_stale", "expected true or false, got \(describe(node))"); ok = false }
        }
        if let node = mapping["refresh_zooms"] {
            if let range = MapConfiguration.parseZoomRange(node.string ?? node.int.map(String.init) ?? "") { map.refreshZooms = range }
            else { problem(node, path + ".refresh_zooms", "expected a zoom range A-B with 0 <= A <= B <= 24 (e.g. 12-16), got \(describe(node))"); ok = false }
        }
        if let node = mapping["access"] {
            if let value = node.string, let access = MapAccess(rawValue: value) { map.access = access }
            else { problem(node, path + ".access", "expected public or internal, got \(describe(node))"); ok = false }
        }
        if let node = mapping["embed_origins"] {
            if let origins = readOrigins(node, path: path + ".embed_origins") { map.embedOrigins = origins } else { ok = false }
        }
        if let node = mapping["format"] {
            if let value = node.string, let format = PNGTileFormat(rawValue: value) { map.pngFormat = format }
            else { problem(node, path + ".format", "expected png8 (palette, the default) or png32 (truecolour), got \(describe(node))"); ok = false }
        }
        return ok ? map : nil
    }

    /// `service:` — title, abstract, keywords, fees, access_constraints, provider_name,
    /// provider_site, contact_name, contact_email; all text, all optional.
    mutating func readService(_ node: Node) -> ServiceDescription {
        var service = ServiceDescription()
        guard let mapping = node.mapping else {
            problem(node, "service", "expected a mapping with title, abstract, keywords and provider details")
            return service
        }
        let texts: [(String, WritableKeyPath<ServiceDescription, String?>)] = [
            ("abstract", \.abstract), ("fees", \.fees), ("access_constraints", \.accessConstraints),
            ("provider_name", \.providerName), ("provider_site", \.providerSite),
            ("contact_name", \.contactName), ("contact_email", \.contactEmail),
        ]
        checkKeys(mapping, allowed: Set(["title", "keywords"] + texts.map(\.0)), at: "service")
        if let title = mapping["title"] {
            if let value = title.string, !value.isEmpty { service.title = value } else { problem(title, "service.title", "expected text") }
        }
        for (key, path) in texts {
            guard let value = mapping[key] else { continue }
            if let text = value.string { service[keyPath: path] = text } else { problem(value, "service." + key, "expected text") }
        }
        if let keywords = mapping["keywords"] {
            let values = keywords.sequence?.compactMap { $0.string } ?? []
            if let sequence = keywords.sequence, values.count == sequence.count { service.keywords = values }
            else { problem(keywords, "service.keywords", "expected a list of words") }
        }
        return service
    }

    /// `grids: [{file: grids/x.json}]`: OGC Two Dimensional Tile Matrix Set 2.0 documents.
    mutating func readGrids(_ node: Node, into configuration: inout CairnConfiguration, baseDirectory: String) {
        guard let list = node.sequence else {
            problem(node, "grids", "expected a list of {file: PATH} entries naming OGC tile matrix set JSON files")
            return
        }
        for (index, item) in list.enumerated() {
            let path = "grids[\(index)]"
            guard let entry = item.mapping, let fileNode = entry["file"], let value = fileNode.string, !value.isEmpty else {
                problem(item, path + ".file", "missing; expected the path of a tile matrix set JSON file")
                continue
            }
            checkKeys(entry, allowed: ["file"], at: path)
            let resolved = resolve(value, against: baseDirectory)
            guard let data = FileManager.default.contents(atPath: resolved) else {
                problem(fileNode, path + ".file", "cannot read \(value) (looked for \(resolved))")
                continue
            }
            do {
                let grid = try TileMatrixSetDocument.parse(data, path: value)
                if configuration.grids[grid.identifier] != nil {
                    problem(fileNode, path + ".file", "a grid named \(grid.identifier) already exists")
                } else {
                    configuration.grids[grid.identifier] = grid
                }
            } catch {
                problem(fileNode, path + ".file", "\(error)")
            }
        }
    }

    mutating func checkKeys(_ mapping: Node.Mapping, allowed: Set<String>, at path: String) {
        for (key, _) in mapping {
            guard let name = key.string else { continue }
            if !allowed.contains(name) {
                let full = path.isEmpty ? name : path + "." + name
                problem(key, full, "unknown key; expected one of \(allowed.sorted().joined(separator: ", "))")
            }
        }
    }

    /// "256MB", "1.5 GiB", "512k", "0": bytes (KB, MB, GB are powers of 1024, as memory is counted).
    static func byteSize(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        guard let number = Double(digits), number >= 0 else { return nil }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        let (kilo, mega, giga) = (1024.0, 1024.0 * 1024, 1024.0 * 1024 * 1024)
        let scales: [String: Double] = ["": 1, "b": 1, "k": kilo, "kb": kilo, "kib": kilo, "m": mega, "mb": mega, "mib": mega,
                                        "g": giga, "gb": giga, "gib": giga]
        guard let scale = scales[unit], number * scale < Double(Int.max / 2) else { return nil }
        return Int(number * scale)
    }

    func describe(_ node: Node) -> String {
        if let scalar = node.scalar { return "\"\(scalar.string)\"" }
        if node.sequence != nil { return "a list" }
        if node.mapping != nil { return "a mapping" }
        return "something else"
    }

    func resolve(_ path: String, against base: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardized.path }
        return URL(fileURLWithPath: base).appendingPathComponent(expanded).standardized.path
    }
}
