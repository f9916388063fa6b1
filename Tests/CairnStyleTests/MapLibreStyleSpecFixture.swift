import CairnCore
import Foundation
@testable import CairnStyle

/// One of MapLibre's style validation fixtures (`test/integration/style-spec/tests/NAME.input.json`
/// with the errors `validate_style` reports in `NAME.output.json`), checked against Cairn's style
/// parser. Cairn stops at the first error, so a fixture agrees when both accept the style, or both
/// reject it; `samePath` tells whether Cairn's error is at one of the JSON paths MapLibre names.
///
/// Cairn renders its own data, so a vector or GeoJSON source MapLibre accepts (tile URLs, inline
/// GeoJSON) is first replaced by a local file of the same type; the rest of the style is unchanged.
enum MapLibreStyleSpecFixture {
    struct Verdict {
        var maplibreErrorPaths: [String]
        var cairnError: StyleError?

        var maplibreRejects: Bool { !maplibreErrorPaths.isEmpty }
        var agrees: Bool { maplibreRejects == (cairnError != nil) }
        var samePath: Bool {
            guard let location = cairnError?.location else { return false }
            return maplibreErrorPaths.contains { location == $0 || location.hasPrefix($0 + ".") || location.hasPrefix($0 + "[") }
        }

        var summary: String {
            let cairn = cairnError.map { "Cairn: \($0.location): \($0.message)" } ?? "Cairn accepts"
            let maplibre = maplibreRejects ? "MapLibre: \(maplibreErrorPaths.count) errors, first at \(maplibreErrorPaths[0])" : "MapLibre accepts"
            return "\(maplibre); \(cairn)"
        }
    }

    /// Cairn's and MapLibre's verdicts on `NAME.input.json`.
    static func verdict(input: URL) throws -> Verdict {
        let outputURL = URL(fileURLWithPath: input.path.replacingOccurrences(of: ".input.json", with: ".output.json"))
        let expected = try JSONParser.parse([UInt8](Data(contentsOf: outputURL)))
        var paths: [String] = []
        for item in expected.arrayValue ?? [] where item["severity"]?.stringValue ?? "error" == "error" {
            guard let message = item["message"]?.stringValue else { continue }
            // "layers[0].paint.line-width: message" → the path; messages without a path name the root.
            let path = message.range(of: ": ").map { String(message[..<$0.lowerBound]) } ?? ""
            paths.append(path.contains(" ") ? "" : path)
        }
        var cairnError: StyleError?
        let data = Data(localSources(try JSONParser.parse([UInt8](Data(contentsOf: input))), keeping: paths).text.utf8)
        do {
            _ = try Style.parse(data, path: input.lastPathComponent)
        } catch {
            cairnError = error
        }
        return Verdict(maplibreErrorPaths: paths, cairnError: cairnError)
    }

    /// The style with each vector or GeoJSON source that MapLibre finds no fault in replaced by a
    /// local file of that type.
    static func localSources(_ style: JSONValue, keeping faulted: [String]) -> JSONValue {
        guard case .object(var members) = style, let index = members.firstIndex(where: { $0.key == "sources" }),
              case .object(var sources) = members[index].value else { return style }
        for (position, source) in sources.enumerated() {
            let path = "sources." + source.key
            guard !faulted.contains(where: { $0 == path || $0.hasPrefix(path + ".") }) else { continue }
            switch source.value["type"]?.stringValue {
            case "vector":
                sources[position].value = .object([JSONMember(key: "type", value: .string("vector")),
                                                   JSONMember(key: "url", value: .string("tiles.mbtiles"))])
            case "geojson":
                sources[position].value = .object([JSONMember(key: "type", value: .string("geojson")),
                                                   JSONMember(key: "data", value: .string("data.geojson"))])
            default:
                continue
            }
        }
        members[index].value = .object(sources)
        return .object(members)
    }
}
