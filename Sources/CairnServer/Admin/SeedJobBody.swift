import CairnCore
import CairnEngine
import Foundation

/// The JSON body of `POST /admin/seed`:
/// `{"map": "hai-phong", "zooms": "10-14" | [10, 14] | 12, "bbox": [w, s, e, n], "scale": 1, "format": "png" | "pbf"}`
/// (`bbox`, `scale` and `format` optional; `scale` is for PNG only). Every refusal names the field and what was expected, and
/// echoes nothing the client sent.
struct SeedJobBody {
    var map: String
    var request: SeedRequest

    static let fields: Set<String> = ["map", "zooms", "bbox", "scale", "format"]

    /// - Throws: `EngineError.badRequest`.
    static func parse(_ data: Data) throws -> SeedJobBody {
        guard let object = try? JSONParser.parse([UInt8](data)), let members = object.objectMembers else {
            throw EngineError(.badRequest, "the body must be a JSON object such as {\"map\": \"name\", \"zooms\": \"10-14\"}")
        }
        guard Set(members.map(\.key)).isSubset(of: fields) else {
            throw EngineError(.badRequest, "unknown field; the fields are map, zooms, bbox, scale and format")
        }
        guard case .string(let map)? = object["map"], !map.isEmpty else {
            throw EngineError(.badRequest, "map: expected the name of a configured map, as a string")
        }
        let zooms = try zoomRange(object["zooms"])
        let bbox = try boundingBox(object["bbox"])
        var scale = 1
        switch object["scale"] {
        case nil, .null?: break
        case .number(let value)? where value == value.rounded() && value >= 1 && value <= 4: scale = Int(value)
        default: throw EngineError(.badRequest, "scale: expected 1 (256 px tiles) or 2 (@2x)")
        }
        var request = SeedRequest(zooms: zooms, bbox: bbox, scale: scale)
        switch object["format"] {
        case nil, .null?: break
        case .string(let text)? where TileFormat(rawValue: text) != nil: request.format = TileFormat(rawValue: text)!
        default: throw EngineError(.badRequest, "format: expected \"png\" or \"pbf\" (vector tiles)")
        }
        return SeedJobBody(map: map, request: request)
    }

    /// `"png"`, `"pbf"` or a list of them; nil when absent. - Throws: `EngineError.badRequest`.
    static func formats(_ value: JSONValue?) throws -> [TileFormat]? {
        let failure = EngineError(.badRequest, "format: expected \"png\", \"pbf\" or [\"png\", \"pbf\"]")
        switch value {
        case nil, .null?:
            return nil
        case .string(let text)?:
            guard let format = TileFormat(rawValue: text) else { throw failure }
            return [format]
        case .array(let items)? where !items.isEmpty && items.count <= 2:
            var formats: [TileFormat] = []
            for item in items {
                guard case .string(let text) = item, let format = TileFormat(rawValue: text) else { throw failure }
                if !formats.contains(format) { formats.append(format) }
            }
            return formats
        default:
            throw failure
        }
    }

    static let zoomsExpectation = #"zooms: expected "A-B", [A, B] or A with 0 <= A <= B <= 24"#

    static func zoomRange(_ value: JSONValue?) throws -> ClosedRange<Int> {
        var bounds: [Int]?
        switch value {
        case .string(let text)?:
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            bounds = parts.count <= 2 ? parts.compactMap(zoomLevel) : nil
            if bounds?.count != parts.count { bounds = nil }
        case .array(let items)? where (1...2).contains(items.count):
            bounds = items.compactMap { item in
                guard case .number(let n) = item, n == n.rounded(), n >= 0, n <= 24 else { return nil }
                return Int(n)
            }
            if bounds?.count != items.count { bounds = nil }
        case .number(let n)? where n == n.rounded() && n >= 0 && n <= 24:
            bounds = [Int(n)]
        default:
            bounds = nil
        }
        guard let bounds, let low = bounds.first, let high = bounds.last, low <= high else {
            throw EngineError(.badRequest, zoomsExpectation)
        }
        return low...high
    }

    /// "0" to "24", plain decimal digits only.
    static func zoomLevel(_ text: Substring) -> Int? {
        guard (1...2).contains(text.utf8.count), text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let z = Int(text), z <= 24 else { return nil }
        return z
    }

    static func boundingBox(_ value: JSONValue?) throws -> BoundingBox? {
        let failure = EngineError(.badRequest, "bbox: expected [west, south, east, north] in degrees with -180 <= west < east <= 180 and -90 <= south < north <= 90")
        switch value {
        case nil, .null?:
            return nil
        case .array(let items)? where items.count == 4:
            let numbers = items.compactMap { item -> Double? in
                if case .number(let n) = item, n.isFinite { return n }
                return nil
            }
            guard numbers.count == 4 else { throw failure }
            let (w, s, e, n) = (numbers[0], numbers[1], numbers[2], numbers[3])
            guard w >= -180, e <= 180, w < e, s >= -90, n <= 90, s < n else { throw failure }
            return BoundingBox(minX: w, minY: s, maxX: e, maxY: n)
        default:
            throw failure
        }
    }
}
