import Foundation

/// One API key as stored in the keys file: its id and the SHA-256 of the key, never the key.
public struct APIKeyRecord: Codable, Sendable, Equatable {
    /// Public identifier, also the key's prefix (`cairn_<id>_…`), shown in listings and audit lines.
    public var id: String
    /// `sha256:<hex>` of the whole key text.
    public var hash: String
    public var maps: [String]
    public var origins: [String]?
    public var created: Date
    public var expires: Date?
    public var revoked: Date?
    public var note: String?

    public init(id: String, hash: String, maps: [String], origins: [String]? = nil, created: Date,
                expires: Date? = nil, revoked: Date? = nil, note: String? = nil) {
        self.id = id
        self.hash = hash
        self.maps = maps
        self.origins = origins
        self.created = created
        self.expires = expires
        self.revoked = revoked
        self.note = note
    }

    /// Usable at `now`: not revoked and not expired.
    public func isActive(at now: Date) -> Bool {
        revoked == nil && (expires.map { now < $0 } ?? true)
    }
}
