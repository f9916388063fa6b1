import CairnCore
import CairnEngine
import Hummingbird

/// Where a tile route keeps the tile's grid and coordinates among its resolved path parameters.
struct TileRouteParameters: Sendable, Equatable {
    /// How one coordinate is written in its parameter.
    enum Number: Sendable, Equatable {
        /// The whole parameter: `12`.
        case plain(String)
        /// A file name: `12.png`, `12@2x.png`, `12.pbf` (the number ends at the first `.` or `@`).
        case fileStem(String)
        /// A WMTS RESTful file name, which must end in `.png`.
        case pngFile(String)
    }

    /// The parameter naming the grid; nil: the map's default grid.
    var grid: String?
    var zoom: String
    var column: Number
    var row: Number
    /// Rows counted from the bottom (TMS).
    var rowsFromBottom = false

    /// `/maps/:map/:z/:x/:file`
    static let xyz = TileRouteParameters(grid: nil, zoom: "z", column: .plain("x"), row: .fileStem("file"))
    /// `/maps/:map/:z/:x/{y}.webp` (`y` may end in `@2x`)
    static let xyzWebP = TileRouteParameters(grid: nil, zoom: "z", column: .plain("x"), row: .fileStem("y"))
    /// `/maps/:map/:z/:x/{y}.pbf`
    static let xyzVector = TileRouteParameters(grid: nil, zoom: "z", column: .plain("x"), row: .plain("y"))
    /// `/maps/:map/grids/:grid/:z/:x/:file`
    static let gridXYZ = TileRouteParameters(grid: "grid", zoom: "z", column: .plain("x"), row: .fileStem("file"))
    /// `/tms/1.0.0/:map/:z/:x/:file`
    static let tms = TileRouteParameters(grid: nil, zoom: "z", column: .plain("x"), row: .fileStem("file"), rowsFromBottom: true)
    /// `/wmts/:map/:style/:tms/:matrix/:row/:file`
    static let wmts = TileRouteParameters(grid: "tms", zoom: "matrix", column: .pngFile("file"), row: .plain("row"))
    /// `/ogcapi/collections/:map/map/tiles/:tms/:tileMatrix/:tileRow/:tileCol`
    static let ogc = TileRouteParameters(grid: "tms", zoom: "tileMatrix", column: .plain("tileCol"), row: .plain("tileRow"))

    /// The tile the parameters address, or nil when a number does not parse.
    func tile(in parameters: Parameters) -> GridTile? {
        guard let z = TileAddress.number(parameters.get(zoom) ?? "", maxDigits: 2),
              let x = Self.value(column, parameters), let y = Self.value(row, parameters) else { return nil }
        return GridTile(grid: grid.map { parameters.get($0) ?? "" }, z: z, x: x, y: y, flipped: rowsFromBottom)
    }

    private static func value(_ number: Number, _ parameters: Parameters) -> Int? {
        switch number {
        case .plain(let name):
            return TileAddress.number(parameters.get(name) ?? "", maxDigits: 9)
        case .fileStem(let name):
            let file = parameters.get(name) ?? ""
            guard let stemEnd = file.firstIndex(where: { $0 == "." || $0 == "@" }) else { return nil }
            return TileAddress.number(file[..<stemEnd], maxDigits: 9)
        case .pngFile(let name):
            let file = parameters.get(name) ?? ""
            guard file.hasSuffix(".png") else { return nil }
            return TileAddress.number(file.dropLast(4), maxDigits: 9)
        }
    }
}

/// A tile as access control sees it: enough to check an area- or zoom-limited credential.
struct GridTile: Equatable, Sendable {
    /// nil: the map's default grid.
    var grid: String?
    var z: Int
    var x: Int
    var y: Int
    /// Rows counted from the bottom (TMS).
    var flipped = false

    var text: String { "\(z)/\(x)/\(y)" }
}
