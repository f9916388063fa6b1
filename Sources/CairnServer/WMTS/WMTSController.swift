import CairnConfiguration
import CairnCore
import CairnEngine
import Foundation
import HTTPTypes
import Hummingbird

/// OGC WMTS 1.0.0 for every map, from the same renderer and cache as `/maps`:
/// - `GET /wmts?SERVICE=WMTS&REQUEST=GetCapabilities|GetTile&…` (KVP; parameter names in any case)
/// - `GET /wmts/1.0.0/WMTSCapabilities.xml` (RESTful capabilities)
/// - `GET /wmts/{layer}/{style}/{tileMatrixSet}/{tileMatrix}/{row}/{col}.png` (RESTful tiles)
/// Every failure is an OWS 1.1 ExceptionReport.
struct WMTSController: Sendable {
    typealias Context = CairnRequestContext

    let engine: TileEngine
    let fallbackHost: String

    func register(in routes: GuardedRouter) {
        routes.get("/wmts", access: .wmtsKeyValue) { request, context in
            await answer(request, context) { try await keyValueRequest(request, context) }
        }
        routes.get("/wmts/1.0.0/WMTSCapabilities.xml", access: .listing(.wmts)) { request, context in
            await answer(request, context) { try await capabilities(request, context) }
        }
        routes.get("/wmts/:map/:style/:tms/:matrix/:row/:file", access: .map(.wmts, tile: .wmts)) { request, context in
            await answer(request, context) {
                let parameters = context.parameters
                let file = parameters.get("file") ?? ""
                guard file.hasSuffix(".png") else {
                    throw WMTSException.invalid("Format", "only image/png tiles ({TileCol}.png) are offered")
                }
                let tile = TileRequest(layer: parameters.get("map") ?? "", style: parameters.get("style") ?? "",
                                       tileMatrixSet: parameters.get("tms") ?? "", tileMatrix: parameters.get("matrix") ?? "",
                                       row: parameters.get("row") ?? "", column: String(file.dropLast(4)),
                                       format: WMTSCapabilitiesDocument.format)
                return try await self.tile(tile, request, context)
            }
        }
    }

    /// A GetTile request, whichever encoding it came in.
    struct TileRequest: Sendable {
        var layer, style, tileMatrixSet, tileMatrix, row, column, format: String
    }

    /// Turns every failure into an ExceptionReport instead of the JSON the rest of the server answers with.
    /// Server failures are logged here, as `ErrorMiddleware` never sees them.
    func answer(_ request: Request, _ context: Context, _ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as WMTSException {
            return error.response
        } catch let error as EngineError {
            if error.code == .notFound {
                return WMTSException.outOfRange("TileMatrix").response
            }
            ServerErrorLog.record(error, status: error.httpStatus, request: request, logger: context.logger)
            return WMTSException(.noApplicableCode, locator: nil, error.message, status: error.httpStatus,
                                 retryAfter: error.retryAfter).response
        } catch {
            ServerErrorLog.record(error, status: .internalServerError, request: request, logger: context.logger)
            return WMTSException(.noApplicableCode, locator: nil, "internal error").response
        }
    }

    func keyValueRequest(_ request: Request, _ context: Context) async throws -> Response {
        let query = Query(request)
        guard let service = query["Service"] else { throw WMTSException.missing("Service") }
        guard service == "WMTS" else { throw WMTSException.invalid("Service", "expected WMTS") }
        guard let operation = query["Request"] else { throw WMTSException.missing("Request") }
        switch operation {
        case "GetCapabilities":
            if let accepted = query["AcceptVersions"],
               !accepted.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == "1.0.0" }) {
                throw WMTSException(.versionNegotiationFailed, locator: "AcceptVersions", "only version 1.0.0 is offered")
            }
            return try await capabilities(request, context)
        case "GetTile":
            guard let version = query["Version"] else { throw WMTSException.missing("Version") }
            guard version == "1.0.0" else { throw WMTSException.invalid("Version", "expected 1.0.0") }
            let tile = TileRequest(layer: try query.required("Layer"), style: try query.required("Style"),
                                   tileMatrixSet: try query.required("TileMatrixSet"), tileMatrix: try query.required("TileMatrix"),
                                   row: try query.required("TileRow"), column: try query.required("TileCol"),
                                   format: try query.required("Format"))
            return try await self.tile(tile, request, context)
        default:
            throw WMTSException(.operationNotSupported, locator: "Request", "supported operations are GetCapabilities and GetTile")
        }
    }

    func capabilities(_ request: Request, _ context: Context) async throws -> Response {
        var layers: [WMTSCapabilitiesDocument.Layer] = []
        for name in context.access.visibleMapNames(engine) {
            // A map that fails to load is left out, as in the map list, rather than failing the whole document.
            guard let map = try? await engine.map(named: name), let grids = try? await engine.grids(for: name) else { continue }
            var offers: [WMTSGridOffer] = []
            for grid in grids {
                // The map as loaded in each grid knows its data extent in that grid's CRS.
                let inGrid = (try? await engine.map(named: name, grid: grid.identifier)) ?? map
                offers.append(WMTSGridOffer(grid: grid, map: inGrid))
            }
            layers.append(.init(name: name, title: map.title, bounds: map.geographicBounds, offers: offers))
        }
        let baseURL = MapController(engine: engine, fallbackHost: fallbackHost).baseURL(request)
        let document = WMTSCapabilitiesDocument(baseURL: baseURL, layers: layers, service: engine.configuration.service).render()
        var headers = HTTPFields()
        headers[.contentType] = "application/xml; charset=utf-8"
        headers[.cacheControl] = "public, max-age=60"
        headers[.accessControlAllowOrigin] = "*"
        headers[.vary] = "Host"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: document)))
    }

    func tile(_ tile: TileRequest, _ request: Request, _ context: Context) async throws -> Response {
        guard MapConfiguration.isValidName(tile.layer), engine.mapNames.contains(tile.layer) else {
            throw WMTSException.invalid("Layer", "no such layer")
        }
        guard tile.style == WMTSCapabilitiesDocument.style else { throw WMTSException.invalid("Style", "the only style is default") }
        guard tile.format == WMTSCapabilitiesDocument.format else { throw WMTSException.invalid("Format", "the only format is image/png") }
        let map = try await engine.map(named: tile.layer)
        guard let grid = try await engine.grids(for: tile.layer).first(where: { $0.identifier == tile.tileMatrixSet }) else {
            throw WMTSException.invalid("TileMatrixSet", "the layer is not offered in that tile matrix set")
        }
        guard let z = Self.integer(tile.tileMatrix), z >= 0, z <= grid.maxZoom else {
            throw WMTSException.invalid("TileMatrix", "not a tile matrix of the tile matrix set")
        }
        guard WMTSGridOffer(grid: grid, map: map).levels?.contains(z) == true else { throw WMTSException.outOfRange("TileMatrix") }
        let size = grid.matrixSize(at: z)
        guard let row = Self.integer(tile.row) else { throw WMTSException.invalid("TileRow", "expected a whole number") }
        guard row >= 0, row < size.rows else { throw WMTSException.outOfRange("TileRow") }
        guard let column = Self.integer(tile.column) else { throw WMTSException.invalid("TileCol", "expected a whole number") }
        guard column >= 0, column < size.columns else { throw WMTSException.outOfRange("TileCol") }
        let result = try await engine.tile(map: tile.layer, grid: grid.identifier, TileCoordinate(z: z, x: column, y: row), scale: 1,
                                          admission: context.renderAdmission)
        return TileController.response(for: result, maxAgeSeconds: map.configuration.maxAgeSeconds, request: request)
    }

    /// A plain decimal integer, optionally negative, of at most 9 digits, written the one way
    /// identifiers are (no leading zeros, plus sign, spaces or exponents).
    static func integer(_ text: String) -> Int? {
        var digits = Substring(text)
        let negative = digits.first == "-"
        if negative { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.utf8.count <= 9, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        if digits.utf8.count > 1 && digits.first == "0" { return nil }
        guard let value = Int(digits) else { return nil }
        return negative ? -value : value
    }

    /// KVP parameters; names are case-insensitive (OWS 1.1 §11.5.2), values are not.
    struct Query {
        private var values: [String: String] = [:]

        init(_ request: Request) {
            for (name, value) in request.uri.queryParameters {
                let key = name.uppercased()
                if values[key] == nil { values[key] = String(value) }
            }
        }

        subscript(name: String) -> String? { values[name.uppercased()] }

        func required(_ name: String) throws -> String {
            guard let value = values[name.uppercased()], !value.isEmpty else { throw WMTSException.missing(name) }
            return value
        }
    }
}
