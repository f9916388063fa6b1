import CairnConfiguration
import CairnCore
import CairnEngine
import Foundation

/// The JSON body of `POST /admin/purge`: `{"map": "hai-phong", "bbox": [w, s, e, n], "zooms": "10-14", "scale": 2,
/// "format": "pbf"}`; only `map` is required. Without `bbox` the whole map, without `zooms` every zoom, without
/// `scale` every scale, without `format` PNG and vector tiles (`"png"`, `"pbf"` or both in a list;
/// `scale` narrows PNG only: vector tiles have none). Refusals name the field and echo nothing the client sent.
struct PurgeBody {
    var map: String
    var zooms: ClosedRange<Int>?
    var bbox: BoundingBox?
    var scale: Int?
    var formats: [TileFormat]?

    static let fields: Set<String> = ["map", "zooms", "bbox", "scale", "format"]

    /// - Throws: `EngineError.badRequest`.
    static func parse(_ data: Data) throws -> PurgeBody {
        guard let object = try? JSONParser.parse([UInt8](data)), let members = object.objectMembers else {
            throw EngineError(.badRequest, "the body must be a JSON object such as {\"map\": \"name\", \"zooms\": \"10-14\", \"bbox\": [w, s, e, n]}")
        }
        guard Set(members.map(\.key)).isSubset(of: fields) else {
            throw EngineError(.badRequest, "unknown field; the fields are map, zooms, bbox, scale and format")
        }
        guard case .string(let map)? = object["map"], MapConfiguration.isValidName(map) else {
            throw EngineError(.badRequest, "map: expected the name of a configured map, as a string")
        }
        var body = PurgeBody(map: map)
        if let zooms = object["zooms"], zooms != .null { body.zooms = try SeedJobBody.zoomRange(zooms) }
        body.bbox = try SeedJobBody.boundingBox(object["bbox"])
        switch object["scale"] {
        case nil, .null?: break
        case .number(1)?: body.scale = 1
        case .number(2)?: body.scale = 2
        default: throw EngineError(.badRequest, "scale: expected 1 (256 px tiles) or 2 (@2x)")
        }
        body.formats = try SeedJobBody.formats(object["format"])
        return body
    }

    /// The expiry request deleting what this body names in `map`.
    func expireRequest(for map: LoadedMap) -> ExpireRequest {
        let zooms = self.zooms ?? map.configuration.minZoom...map.configuration.maxZoom
        let scales = scale.map { [$0] }
        if let bbox {
            return ExpireRequest(zooms: zooms, area: .box(bbox, crs: .epsg(4326)), delete: true, scales: scales, formats: formats)
        }
        // The whole map: every level-0 tile, expanded to its descendants at each zoom.
        let top = map.grid.matrixSize(at: 0)
        var tiles: [TileCoordinate] = []
        for x in 0..<top.columns { for y in 0..<top.rows { tiles.append(TileCoordinate(z: 0, x: x, y: y)) } }
        return ExpireRequest(zooms: zooms, tiles: tiles, delete: true, scales: scales, formats: formats)
    }
}
