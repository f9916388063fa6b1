import Foundation
import JWTKit

/// The claims Cairn reads from a portal's token. Checks are done by `JWTVerifier`, with its
/// own leeway and lifetime limits, after the signature is verified.
struct TileClaims: JWTPayload {
    var sub: String?
    var iss: String?
    var aud: [String]
    var exp: Double?
    var nbf: Double?
    var iat: Double?
    var maps: [String]
    var origins: [String]?
    /// `[west, south, east, north]` in degrees.
    var bbox: [Double]?
    var minzoom: Int?
    var maxzoom: Int?

    init(aud: [String], maps: [String]) {
        self.aud = aud
        self.maps = maps
    }

    enum CodingKeys: String, CodingKey {
        case sub, iss, aud, exp, nbf, iat, maps, origins, bbox, minzoom, maxzoom
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sub = try c.decodeIfPresent(String.self, forKey: .sub)
        iss = try c.decodeIfPresent(String.self, forKey: .iss)
        if let single = try? c.decode(String.self, forKey: .aud) {
            aud = [single]
        } else {
            aud = try c.decodeIfPresent([String].self, forKey: .aud) ?? []
        }
        exp = try c.decodeIfPresent(Double.self, forKey: .exp)
        nbf = try c.decodeIfPresent(Double.self, forKey: .nbf)
        iat = try c.decodeIfPresent(Double.self, forKey: .iat)
        maps = try c.decodeIfPresent([String].self, forKey: .maps) ?? []
        origins = try c.decodeIfPresent([String].self, forKey: .origins)
        bbox = try c.decodeIfPresent([Double].self, forKey: .bbox)
        minzoom = try c.decodeIfPresent(Int.self, forKey: .minzoom)
        maxzoom = try c.decodeIfPresent(Int.self, forKey: .maxzoom)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(sub, forKey: .sub)
        try c.encodeIfPresent(iss, forKey: .iss)
        try c.encode(aud, forKey: .aud)
        try c.encodeIfPresent(exp, forKey: .exp)
        try c.encodeIfPresent(nbf, forKey: .nbf)
        try c.encodeIfPresent(iat, forKey: .iat)
        try c.encode(maps, forKey: .maps)
        try c.encodeIfPresent(origins, forKey: .origins)
        try c.encodeIfPresent(bbox, forKey: .bbox)
        try c.encodeIfPresent(minzoom, forKey: .minzoom)
        try c.encodeIfPresent(maxzoom, forKey: .maxzoom)
    }

    /// Claims are checked by `JWTVerifier.check`, which knows the configured leeway and limits.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
