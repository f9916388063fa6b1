import CairnCore
import Crypto
import Foundation

/// HMAC-SHA256 signed, expiring URLs for embedding one map in a portal's iframe without a key,
/// and the short-lived tile tokens an embed page hands to its tile requests.
///
/// The signed text is built by one function, `canonicalQuery`, for signer and verifier alike:
/// parameters sorted by name, each name once, RFC 3986 percent-encoding of everything but
/// unreserved characters. The verifier accepts a URL only when its query *is* that canonical
/// text followed by `&sig=<64 hex digits>`, so reordered, duplicated or appended parameters,
/// a second `?`, a second `sig` or any other spelling fail before the HMAC is even compared.
public struct URLSigner: Sendable {
    private let key: SymmetricKey
    /// Longest time from now to an embed URL's `exp`, when signing and when verifying.
    public let maxEmbedLifetime: TimeInterval

    /// Parameters an embed URL may carry (all of them signed).
    public static let embedParameters: Set<String> = ["exp", "bbox", "minzoom", "maxzoom", "origins", "center", "zoom", "marker"]
    /// Longest lifetime of a tile token minted for an embed page.
    public static let tileTokenLifetime: TimeInterval = 12 * 3600
    /// The default of `auth.embed_max_lifetime`: 30 days.
    public static let defaultEmbedMaxLifetime: TimeInterval = 30 * 86_400
    /// The highest `auth.embed_max_lifetime` allowed: one year.
    public static let longestEmbedMaxLifetime: TimeInterval = 366 * 86_400
    /// Clock difference tolerated between the signing machine and the server.
    static let embedLifetimeLeeway: TimeInterval = 300

    /// - Parameters:
    ///   - secret: at least 32 bytes (see `SecretSource`).
    ///   - maxEmbedLifetime: see `AuthSettings.embedMaxLifetime`.
    public init(secret: [UInt8], maxEmbedLifetime: TimeInterval = URLSigner.defaultEmbedMaxLifetime) {
        key = SymmetricKey(data: secret)
        self.maxEmbedLifetime = maxEmbedLifetime
    }

    /// - Throws: `AccessError(.configuration)` when `expires` is further from `now` than `maxEmbedLifetime`.
    public func checkEmbedLifetime(expires: Date, now: Date = Date()) throws(AccessError) {
        let lifetime = expires.timeIntervalSince(now)
        guard lifetime <= maxEmbedLifetime else {
            throw AccessError(.configuration, "an embed URL may be valid for at most \(Self.describe(maxEmbedLifetime)) (auth.embed_max_lifetime); asked for \(Self.describe(lifetime))")
        }
    }

    static func describe(_ seconds: TimeInterval) -> String {
        seconds >= 86_400 ? "\(Int((seconds / 86_400).rounded())) days" : "\(Int(seconds.rounded())) s"
    }

    // MARK: Canonical form

    /// The one canonical spelling of a parameter list: sorted by name, RFC 3986 encoded.
    /// Duplicate names are refused by the verifier; the signer keeps the last value.
    public static func canonicalQuery(_ parameters: [(name: String, value: String)]) -> String {
        var unique: [String: String] = [:]
        for (name, value) in parameters { unique[name] = value }
        return unique.keys.sorted().map { percentEncode($0) + "=" + percentEncode(unique[$0]!) }.joined(separator: "&")
    }

    static func percentEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E:
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out.unicodeScalars.append(Unicode.Scalar(0x25))
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0x0F)]))
            }
        }
        return out
    }

    /// Strict percent-decoding (`%XX` only, no `+`); nil for anything else or invalid UTF-8.
    static func percentDecode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == 0x25 {
                guard let high = iterator.next(), let low = iterator.next(),
                      let value = Hex.decode(String(decoding: [high, low], as: UTF8.self).lowercased()) else { return nil }
                bytes.append(value[0])
            } else if byte == 0x2B || byte == 0x3F || byte == 0x26 || byte == 0x3D || byte == 0x23 {
                return nil
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private func mac(_ purpose: String, _ text: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array((purpose + "\n" + text).utf8), using: key))
    }

    // MARK: Signing

    /// `path?canonical&sig=hex` for `path` (e.g. `/embed/land`) and its parameters.
    public func sign(path: String, parameters: [(name: String, value: String)]) -> String {
        let query = Self.canonicalQuery(parameters.filter { $0.name != "sig" })
        let signature = Hex.encode(mac("cairn-url-v1", path + "\n" + query))
        return path + "?" + (query.isEmpty ? "" : query + "&") + "sig=" + signature
    }

    /// A signed embed URL (path and query, to append to the server's base URL).
    public func signEmbed(map: String, expires: Date, bbox: BoundingBox? = nil, minZoom: Int? = nil, maxZoom: Int? = nil,
                          origins: [String] = [], center: (lon: Double, lat: Double)? = nil, zoom: Int? = nil,
                          marker: (lon: Double, lat: Double)? = nil) -> String {
        var parameters: [(name: String, value: String)] = [("exp", String(Int(expires.timeIntervalSince1970.rounded(.up))))]
        if let bbox { parameters.append(("bbox", [bbox.minX, bbox.minY, bbox.maxX, bbox.maxY].map(Self.number).joined(separator: ","))) }
        if let minZoom { parameters.append(("minzoom", String(minZoom))) }
        if let maxZoom { parameters.append(("maxzoom", String(maxZoom))) }
        if !origins.isEmpty { parameters.append(("origins", origins.joined(separator: ","))) }
        if let center { parameters.append(("center", Self.number(center.lon) + "," + Self.number(center.lat))) }
        if let zoom { parameters.append(("zoom", String(zoom))) }
        if let marker { parameters.append(("marker", Self.number(marker.lon) + "," + Self.number(marker.lat))) }
        return sign(path: "/embed/" + map, parameters: parameters)
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    // MARK: Verifying

    /// The parameters of a correctly signed URL.
    /// - Parameters:
    ///   - path: the path the signature must cover, built by the caller from validated parts.
    ///   - rawQuery: the query exactly as received (percent-encoded, without `?`).
    /// - Throws: `AccessError(.invalidCredential)` for any deviation from the canonical form or a wrong signature.
    public func verify(path: String, rawQuery: String?) throws(AccessError) -> [String: String] {
        let refused = AccessError(.invalidCredential, "invalid or expired signature")
        guard let rawQuery, rawQuery.utf8.count <= 2048 else { throw refused }
        let marker = "sig="
        let body: Substring
        let signatureText: Substring
        if rawQuery.hasPrefix(marker) {
            body = ""
            signatureText = rawQuery.dropFirst(marker.count)
        } else {
            guard let range = rawQuery.range(of: "&" + marker, options: .backwards) else { throw refused }
            body = rawQuery[..<range.lowerBound]
            signatureText = rawQuery[range.upperBound...]
        }
        guard signatureText.utf8.count == 64, let signature = Hex.decode(signatureText) else { throw refused }
        var parameters: [(name: String, value: String)] = []
        var names: Set<String> = []
        if !body.isEmpty {
            for pair in body.split(separator: "&", omittingEmptySubsequences: false) {
                let halves = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard halves.count == 2, let name = Self.percentDecode(halves[0]), let value = Self.percentDecode(halves[1]),
                      !name.isEmpty, name != "sig", names.insert(name).inserted else { throw refused }
                parameters.append((name, value))
            }
        }
        // The text received must be the canonical text, byte for byte.
        guard Self.canonicalQuery(parameters) == body else { throw refused }
        guard ConstantTime.equals(signature, mac("cairn-url-v1", path + "\n" + String(body))) else { throw refused }
        return Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.value) })
    }

    /// The scope of a valid, unexpired embed URL for `map`.
    public func verifyEmbed(map: String, rawQuery: String?, now: Date = Date()) throws(AccessError) -> EmbedGrant {
        let refused = AccessError(.invalidCredential, "invalid or expired signature")
        let parameters = try verify(path: "/embed/" + map, rawQuery: rawQuery)
        guard parameters.keys.allSatisfy(Self.embedParameters.contains),
              let expText = parameters["exp"], let exp = Int(expText), Double(exp) > now.timeIntervalSince1970 else { throw refused }
        // The signature is good, so the reason can be told: a URL signed for longer than allowed
        // (by an older version, or with another setting) is refused rather than honoured for years.
        guard Double(exp) - now.timeIntervalSince1970 <= maxEmbedLifetime + Self.embedLifetimeLeeway else {
            let message = "this embed URL expires in \(Self.describe(Double(exp) - now.timeIntervalSince1970)), beyond the maximum lifetime of \(Self.describe(maxEmbedLifetime)); ask for a new one"
            throw AccessError(.invalidCredential, message, clientReason: message)
        }
        // The audit id is a digest of the signature, so logs never hold a usable URL.
        let id = "e" + Hex.encode(SHA256.hash(data: Array(rawQuery!.suffix(64).utf8)).prefix(6))
        var grant = EmbedGrant(map: map, expiresAt: Date(timeIntervalSince1970: Double(exp)), id: id)
        if let text = parameters["bbox"] {
            guard let values = Self.numbers(text, count: 4), values[0] < values[2], values[1] < values[3] else { throw refused }
            grant.bbox = BoundingBox(minX: values[0], minY: values[1], maxX: values[2], maxY: values[3])
        }
        if let text = parameters["minzoom"] { guard let z = Int(text), (0...30).contains(z) else { throw refused }; grant.minZoom = z }
        if let text = parameters["maxzoom"] { guard let z = Int(text), (0...30).contains(z) else { throw refused }; grant.maxZoom = z }
        if let text = parameters["origins"] { grant.origins = text.split(separator: ",").map(String.init) }
        if let text = parameters["center"] {
            guard let values = Self.numbers(text, count: 2) else { throw refused }
            grant.center = (values[0], values[1])
        }
        if let text = parameters["zoom"] { guard let z = Int(text), (0...30).contains(z) else { throw refused }; grant.zoom = z }
        if let text = parameters["marker"] {
            guard let values = Self.numbers(text, count: 2) else { throw refused }
            grant.marker = (values[0], values[1])
        }
        return grant
    }

    static func numbers(_ text: String, count: Int) -> [Double]? {
        let values = text.split(separator: ",", omittingEmptySubsequences: false).compactMap { Double($0) }
        guard values.count == count, values.allSatisfy(\.isFinite) else { return nil }
        return values
    }

    // MARK: Tile tokens

    /// A tile token for the tiles of an embed page: `ct1.<payload>.<mac>`, valid for the embed's
    /// map and area until the embed URL expires or `tileTokenLifetime` passes (rounded up to
    /// 10 minutes, so all tiles of a page view share one token and browser caching works).
    public func tileToken(for grant: EmbedGrant, now: Date = Date()) -> String {
        let bucket = 600.0
        let capped = ((now.timeIntervalSince1970 + Self.tileTokenLifetime) / bucket).rounded(.up) * bucket
        let exp = min(grant.expiresAt.timeIntervalSince1970, capped)
        var parameters: [(name: String, value: String)] = [("map", grant.map), ("exp", String(Int(exp))), ("id", grant.id)]
        if let bbox = grant.bbox { parameters.append(("bbox", [bbox.minX, bbox.minY, bbox.maxX, bbox.maxY].map(Self.number).joined(separator: ","))) }
        if let minZoom = grant.minZoom { parameters.append(("minzoom", String(minZoom))) }
        if let maxZoom = grant.maxZoom { parameters.append(("maxzoom", String(maxZoom))) }
        if !grant.origins.isEmpty { parameters.append(("origins", grant.origins.joined(separator: ","))) }
        let payload = Self.canonicalQuery(parameters)
        return "ct1." + Base64URL.encode(Array(payload.utf8)) + "." + Base64URL.encode(mac("cairn-tile-token-v1", payload))
    }

    public static func looksLikeTileToken(_ text: String) -> Bool { text.hasPrefix("ct1.") }

    /// The principal of a valid tile token.
    public func verifyTileToken(_ token: String, now: Date = Date()) throws(AccessError) -> Principal {
        let refused = AccessError(.invalidCredential, "invalid or expired credential")
        guard token.utf8.count <= 2048, Self.looksLikeTileToken(token) else { throw refused }
        let parts = token.dropFirst(4).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payloadBytes = Base64URL.decode(parts[0]), let signature = Base64URL.decode(parts[1]),
              let payload = String(validating: payloadBytes, as: UTF8.self) else { throw refused }
        guard ConstantTime.equals(signature, mac("cairn-tile-token-v1", payload)) else { throw refused }
        var values: [String: String] = [:]
        for pair in payload.split(separator: "&") {
            let halves = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard halves.count == 2, let name = Self.percentDecode(halves[0]), let value = Self.percentDecode(halves[1]) else { throw refused }
            values[name] = value
        }
        guard let map = values["map"], let expText = values["exp"], let exp = Double(expText), exp > now.timeIntervalSince1970,
              let id = values["id"] else { throw refused }
        var principal = Principal(kind: .embed, id: id, maps: [map], expiresAt: Date(timeIntervalSince1970: exp))
        if let text = values["bbox"], let v = Self.numbers(text, count: 4) { principal.bbox = BoundingBox(minX: v[0], minY: v[1], maxX: v[2], maxY: v[3]) }
        principal.minZoom = values["minzoom"].flatMap { Int($0) }
        principal.maxZoom = values["maxzoom"].flatMap { Int($0) }
        principal.origins = values["origins"].map { $0.split(separator: ",").map(String.init) } ?? []
        return principal
    }
}

/// What a verified embed URL grants: one map, optionally an area and zoom range, until `expiresAt`;
/// plus the initial view the signer chose.
public struct EmbedGrant: Sendable {
    public var map: String
    public var expiresAt: Date
    /// Short public id derived from the signature, for audit lines.
    public var id: String
    public var bbox: BoundingBox?
    public var minZoom: Int?
    public var maxZoom: Int?
    public var origins: [String] = []
    public var center: (lon: Double, lat: Double)?
    public var zoom: Int?
    public var marker: (lon: Double, lat: Double)?

    public init(map: String, expiresAt: Date, id: String) {
        self.map = map
        self.expiresAt = expiresAt
        self.id = id
    }

    public var principal: Principal {
        Principal(kind: .embed, id: id, maps: [map], origins: origins, bbox: bbox, minZoom: minZoom, maxZoom: maxZoom, expiresAt: expiresAt)
    }
}
