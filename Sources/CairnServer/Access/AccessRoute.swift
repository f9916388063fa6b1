import CairnCore
import CairnEngine
import Foundation

/// What a request path addresses, as far as access control is concerned. Classified from the
/// path alone, before routing, so every map-facing route (present and future) is covered.
struct AccessRoute: Equatable {
    enum Family: Equatable {
        /// `/maps/…`, `/tms/…`, `/embed/…`: JSON/HTML errors.
        case maps
        /// `/wmts…`: OWS exception reports.
        case wmts
        /// `/ogcapi/collections/…`: JSON/HTML errors naming collections.
        case ogc
    }

    enum Kind: Equatable {
        /// Lists maps (`/`, `/maps`, capabilities, collections): filtered per principal.
        case listing
        /// About one map; `tile` is set for tile requests (grid identifier, z, column, row from the top).
        case map(name: String, tile: GridTile?)
        /// The embed page of one map.
        case embed(name: String)
        /// Not map-related (health, conformance, tile matrix sets, assets).
        case other
    }

    struct GridTile: Equatable {
        /// nil: the map's default grid.
        var grid: String?
        var z: Int
        var x: Int
        var y: Int
        /// Rows counted from the bottom (TMS).
        var flipped = false

        var text: String { "\(z)/\(x)/\(y)" }
    }

    var family: Family
    var kind: Kind
    /// The path has the shape of a tile request (whether or not its numbers parse), so a
    /// credential limited to an area or zoom range must not reach it without a parsed tile.
    var tileShaped = false

    /// - Parameter query: the decoded query parameters, read only for WMTS key-value requests.
    static func classify(path: String, query: () -> [(String, String)]) -> AccessRoute {
        let s = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let first = s.first else { return AccessRoute(family: .maps, kind: .listing) }
        switch first {
        case "maps":
            if s.count == 1 { return AccessRoute(family: .maps, kind: .listing) }
            let name = s[1]
            var tile: GridTile?
            if s.count == 5 { tile = Self.tile(grid: nil, z: s[2], x: s[3], file: s[4]) }
            if s.count == 7, s[2] == "grids" { tile = Self.tile(grid: s[3], z: s[4], x: s[5], file: s[6]) }
            return AccessRoute(family: .maps, kind: .map(name: name, tile: tile),
                               tileShaped: (s.count == 5 && s[2] != "grids") || s.count >= 6)
        case "tms":
            guard s.count >= 3 else { return AccessRoute(family: .maps, kind: .other) }
            var tile: GridTile?
            if s.count == 6 { tile = Self.tile(grid: nil, z: s[3], x: s[4], file: s[5]); tile?.flipped = true }
            return AccessRoute(family: .maps, kind: .map(name: s[2], tile: tile), tileShaped: s.count >= 4)
        case "embed":
            guard s.count == 2 else { return AccessRoute(family: .maps, kind: .other) }
            return AccessRoute(family: .maps, kind: .embed(name: s[1]))
        case "wmts":
            if s.count == 1 {
                let parameters = Dictionary(query().map { ($0.0.uppercased(), $0.1) }, uniquingKeysWith: { first, _ in first })
                guard parameters["REQUEST"] == "GetTile" else { return AccessRoute(family: .wmts, kind: .listing) }
                let name = parameters["LAYER"] ?? ""
                var tile: GridTile?
                if let z = TileAddress.number(parameters["TILEMATRIX"] ?? "", maxDigits: 2),
                   let row = TileAddress.number(parameters["TILEROW"] ?? "", maxDigits: 9),
                   let column = TileAddress.number(parameters["TILECOL"] ?? "", maxDigits: 9) {
                    tile = GridTile(grid: parameters["TILEMATRIXSET"] ?? "", z: z, x: column, y: row)
                }
                return AccessRoute(family: .wmts, kind: .map(name: name, tile: tile), tileShaped: true)
            }
            if s.count == 3, s[1] == "1.0.0" { return AccessRoute(family: .wmts, kind: .listing) }
            guard s.count >= 2 else { return AccessRoute(family: .wmts, kind: .other) }
            var tile: GridTile?
            if s.count == 7 {
                let column = s[6].hasSuffix(".png") ? String(s[6].dropLast(4)) : ""
                if let z = TileAddress.number(s[4], maxDigits: 2), let row = TileAddress.number(s[5], maxDigits: 9),
                   let col = TileAddress.number(column, maxDigits: 9) {
                    tile = GridTile(grid: s[3], z: z, x: col, y: row)
                }
            }
            return AccessRoute(family: .wmts, kind: .map(name: s[1], tile: tile), tileShaped: s.count >= 3)
        case "ogcapi":
            guard s.count >= 2, s[1] == "collections" else { return AccessRoute(family: .ogc, kind: .other) }
            if s.count == 2 { return AccessRoute(family: .ogc, kind: .listing) }
            var tile: GridTile?
            if s.count == 9, s[3] == "map", s[4] == "tiles",
               let z = TileAddress.number(s[6], maxDigits: 2), let row = TileAddress.number(s[7], maxDigits: 9),
               let column = TileAddress.number(s[8], maxDigits: 9) {
                tile = GridTile(grid: s[5], z: z, x: column, y: row)
            }
            return AccessRoute(family: .ogc, kind: .map(name: s[2], tile: tile), tileShaped: s.count >= 7)
        default:
            return AccessRoute(family: .maps, kind: .other)
        }
    }

    /// `{z}/{x}/{y}[@2x].{ext}` with any extension (PNG now, vector tiles later).
    static func tile(grid: String?, z: String, x: String, file: String) -> GridTile? {
        guard let stemEnd = file.firstIndex(where: { $0 == "." || $0 == "@" }) else { return nil }
        guard let zoom = TileAddress.number(z, maxDigits: 2), let column = TileAddress.number(x, maxDigits: 9),
              let row = TileAddress.number(file[..<stemEnd], maxDigits: 9) else { return nil }
        return GridTile(grid: grid, z: zoom, x: column, y: row)
    }
}
