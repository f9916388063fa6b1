import CairnConfiguration
import CairnCore
import CairnEngine
import HTTPTypes
import NIOCore

/// Which requests `HotTileHandler` may answer itself, and with what: a plain tile request of a
/// public map whose tile the engine holds in memory, decided exactly as the router would decide
/// it (the checks below mirror `RequestLimitsMiddleware`, `AccessGuard`, the rate-limit
/// middlewares and `TileController`), so answering it here changes nothing but the cost.
struct HotTilePath: Sendable {
    let engine: TileEngine
    let access: AccessControl
    let limiter: RateLimiter

    static let serverName = "Cairn"

    struct Answer {
        var tile: MemoryTile
        var headOnly: Bool
        var notModified: Bool
    }

    /// What the decision depends on, read from an `HTTPRequest` or straight from the request's bytes
    /// (`RawHotTileHandler`), counted as `HTTP1ToHTTPServerCodec` would give them to the router.
    struct Request {
        var headOnly: Bool
        var path: String
        /// Header fields but `Host` (which becomes the authority), and their bytes (name, value and 4).
        var fieldCount: Int
        var fieldBytes: Int
        /// `Authorization`, `X-API-Key`, `Content-Length`, `Transfer-Encoding` or `Expect`.
        var credentialOrBody: Bool
        var ifNoneMatch: String?
        var forwardedFor: String?
    }

    func answer(_ request: HTTPRequest, peer: SocketAddress?) -> Answer? {
        guard request.method == .get || request.method == .head, let path = request.path else { return nil }
        let fields = request.headerFields
        var fieldBytes = 0
        for field in fields { fieldBytes += field.name.rawName.utf8.count + field.value.utf8.count + 4 }
        return answer(Request(
            headOnly: request.method == .head, path: path, fieldCount: fields.count, fieldBytes: fieldBytes,
            credentialOrBody: fields[.authorization] != nil || fields[Self.apiKey] != nil || fields[.contentLength] != nil
                || fields[.transferEncoding] != nil || fields[.expect] != nil,
            ifNoneMatch: fields[.ifNoneMatch], forwardedFor: fields[.xForwardedFor]), peer: peer)
    }

    func answer(_ request: Request, peer: SocketAddress?) -> Answer? {
        guard let (map, address) = Self.tileAddress(request.path), access.access(of: map) == .public else { return nil }
        // A credential is checked (and charged) by the router even on a public map; a body is read by it.
        if request.credentialOrBody { return nil }
        let limits = limiter.limits
        guard request.fieldCount <= limits.maxHeaders, request.path.utf8.count <= limits.maxPathBytes,
              request.fieldBytes <= limits.maxHeaderBytes else { return nil }
        guard let tile = engine.memoryTile(map: map, scale: address.scale, address.tile) else { return nil }
        let rate = limits.perIP
        if rate.requestsPerSecond > 0 {
            let client = "ip " + ClientAddress.resolve(peer: peer, forwardedFor: request.forwardedFor, trusted: limiter.trusted)
            // Refused: the router refuses it again (an empty bucket is not charged twice) and says so.
            if limiter.requests.take(client, rate: rate.requestsPerSecond, burst: rate.burst) != nil { return nil }
        }
        let notModified = request.ifNoneMatch.map { TileController.matches($0, etag: tile.etag) } ?? false
        engine.metrics.countResponse(status: notModified ? 304 : 200)
        return Answer(tile: tile, headOnly: request.headOnly, notModified: notModified)
    }

    static let apiKey = HTTPField.Name("X-API-Key")!

    /// `/maps/{map}/{z}/{x}/{y}[@2x].png` with a valid map name and tile numbers and nothing
    /// else (no query, no encoded characters): what `TileController` would parse the same way.
    static func tileAddress(_ path: String) -> (map: String, address: TileAddress)? {
        let utf8 = path.utf8
        guard utf8.count > 7, utf8.starts(with: "/maps/".utf8) else { return nil }
        let parts = path.utf8.dropFirst(6).split(separator: UInt8(ascii: "/"), maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 4, !parts[3].contains(UInt8(ascii: "?")), !parts[3].contains(UInt8(ascii: "%")) else { return nil }
        let map = String(decoding: parts[0], as: UTF8.self)
        guard MapConfiguration.isValidName(map),
              let address = TileAddress(z: String(decoding: parts[1], as: UTF8.self), x: String(decoding: parts[2], as: UTF8.self),
                                        file: String(decoding: parts[3], as: UTF8.self)),
              address.format == "png" else { return nil }
        return (map, address)
    }
}
