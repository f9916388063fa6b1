import CairnConfiguration
import ArgumentParser
import CairnEngine
import Foundation

/// `--style FILE` or `--map NAME [--config FILE]`: which map a command works on.
struct MapSelection: ParsableArguments {
    @Option(help: "A MapLibre style JSON file to use as the map.")
    var style: String?

    @Option(help: "The name of a map in the configuration.")
    var map: String?

    @Option(help: "A YAML configuration file (default: the embedded Hai Phong demo).")
    var config: String?

    func validate() throws {
        if style != nil && (map != nil || config != nil) {
            throw ValidationError("give either --style, or --map with an optional --config, not both")
        }
    }

    /// The configuration to run and the name of the selected map.
    func resolve() throws -> (CairnConfiguration, String) {
        if let style {
            let path = URL(fileURLWithPath: style).standardized.path
            guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("style file not found: \(style)") }
            let name = Self.mapName(fromStyle: path)
            var configuration = CairnConfiguration.embeddedDemo()
            configuration.maps = [MapConfiguration(name: name, stylePath: path)]
            return (configuration, name)
        }
        let configuration = try loadConfiguration(config)
        let name = map ?? configuration.maps.first?.name ?? ""
        guard configuration.maps.contains(where: { $0.name == name }) else {
            throw ValidationError("no map named \"\(name)\"; the configuration has: \(configuration.maps.map(\.name).joined(separator: ", "))")
        }
        return (configuration, name)
    }

    /// "styles/Hai Phong.json" → "hai-phong".
    static func mapName(fromStyle path: String) -> String {
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent.lowercased()
        var name = String(stem.map { ($0.isASCII && ($0.isLetter || $0.isNumber)) ? $0 : "-" })
        while name.hasPrefix("-") { name.removeFirst() }
        if name.isEmpty { name = "map" }
        return String(name.prefix(64))
    }
}

func loadConfiguration(_ path: String?) throws -> CairnConfiguration {
    guard let path else { return CairnConfiguration.embeddedDemo() }
    do {
        return try CairnConfiguration.load(path: path)
    } catch let error as ConfigurationErrors {
        throw CommandFailure(message: error.description)
    }
}

/// An error printed on standard error with `error: ` before each line, with exit status 1
/// (or `status`); see `CairnCommand.main`.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    var status: Int32 = 1
    var description: String { message }
}

/// Parses "12-16" or "14".
func parseZoomRange(_ text: String) throws -> ClosedRange<Int> {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count), let low = Int(parts[0]), let high = Int(parts.last!), low >= 0, high <= 24, low <= high else {
        throw ValidationError("--zoom: expected A-B with 0 <= A <= B <= 24, got \"\(text)\"")
    }
    return low...high
}

/// `--format png`, `pbf` or `png,pbf`, as seeding and expiry take it.
func parseFormats(_ text: String) throws -> [TileFormat] {
    do {
        return try TileFormat.list(parsing: text)
    } catch let error as EngineError {
        throw ValidationError("--" + error.message)
    }
}
