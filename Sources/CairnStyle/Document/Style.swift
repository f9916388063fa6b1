import Foundation
import CairnCore

/// A MapLibre GL style (spec version 8) as Cairn uses it: local file sources and the
/// background, fill, line, circle and symbol layers, with every property compiled.
public struct Style: Sendable {
    public let name: String?
    public let metadata: JSONValue?
    /// Default centre, x = longitude, y = latitude.
    public let center: Point?
    public let zoom: Double?
    public let sources: [String: StyleSource]
    /// Layers in drawing order (first drawn first).
    public let layers: [StyleLayer]
    /// Things MapLibre would warn about (unknown or unsupported properties), each as
    /// `<file>: <JSON path>: <message>`.
    public let warnings: [String]
    /// The root `sprite` entries, in order (empty when the style has no sprite).
    public internal(set) var sprites: [StyleSprite] = []

    init(name: String?, metadata: JSONValue?, center: Point?, zoom: Double?, sources: [String: StyleSource],
         layers: [StyleLayer], warnings: [String]) {
        self.name = name
        self.metadata = metadata
        self.center = center
        self.zoom = zoom
        self.sources = sources
        self.layers = layers
        self.warnings = warnings
    }

    /// Reads and compiles the style file at `path`.
    public static func load(path: String) throws(StyleError) -> Style {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = (error as NSError).localizedDescription
            throw StyleError(code: .unreadableFile, file: path, location: "", message: "cannot read the file: \(reason)")
        }
        return try parse(data, path: path)
    }

    /// Compiles style JSON. `path` names the file in errors and is where relative source paths start.
    public static func parse(_ data: Data, path: String) throws(StyleError) -> Style {
        let json: JSONValue
        do {
            json = try JSONParser.parse([UInt8](data))
        } catch {
            throw StyleError(code: .malformedJSON, file: path, location: error.location, message: error.message)
        }
        do {
            var parser = StyleParser(file: path)
            return try parser.parse(json)
        } catch let issue as StyleIssue {
            throw StyleError(code: .invalidStyle, file: path, location: issue.path, message: issue.message)
        } catch {
            throw StyleError(code: .invalidStyle, file: path, location: "", message: "\(error)")
        }
    }

    /// The layer with this id.
    public func layer(id: String) -> StyleLayer? {
        layers.first { $0.id == id }
    }
}
