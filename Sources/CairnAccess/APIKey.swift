import Crypto
import Foundation

/// API keys: `cairn_<id>_<secret>`, where `id` is 8 random hex digits (public, the key's name)
/// and `secret` 32 random bytes in base64url. Only `sha256:<hex>` of the whole text is stored.
public enum APIKey {
    public static let prefix = "cairn_"

    /// A new random key and its record; the key is shown once and never stored.
    public static func generate(maps: [String], origins: [String]? = nil, expires: Date? = nil, note: String? = nil,
                                now: Date = Date()) -> (key: String, record: APIKeyRecord) {
        var generator = SystemRandomNumberGenerator()
        let idBytes = (0..<4).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let id = "k" + Hex.encode(idBytes)
        let key = prefix + id + "_" + Base64URL.encode(secret)
        let record = APIKeyRecord(id: id, hash: hash(of: key), maps: maps, origins: origins, created: now,
                                  expires: expires, note: note)
        return (key, record)
    }

    /// `sha256:<hex>` of the key text.
    public static func hash(of key: String) -> String {
        "sha256:" + Hex.encode(SHA256.hash(data: Array(key.utf8)))
    }

    /// The id part of a well-formed key, or nil.
    public static func id(of key: String) -> String? {
        let bytes = Array(key.utf8)
        guard key.hasPrefix(prefix), bytes.count == prefix.utf8.count + 9 + 1 + 43 else { return nil }
        let rest = key.dropFirst(prefix.count)
        let parts = rest.split(separator: "_", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].utf8.count == 9, parts[0].first == "k",
              Hex.decode(parts[0].dropFirst()) != nil,
              parts[1].utf8.count == 43, parts[1].utf8.allSatisfy(Base64URL.isAlphabet) else { return nil }
        return String(parts[0])
    }

    /// Whether the text looks like an API key (as opposed to a token).
    public static func looksLikeKey(_ text: String) -> Bool { text.hasPrefix(prefix) }
}
