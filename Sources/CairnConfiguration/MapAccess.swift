/// Who may use a map: anyone, or only holders of a credential naming it (`access:` per map).
public enum MapAccess: String, Sendable, Equatable {
    /// No credential needed; tiles are cacheable by anyone (`Cache-Control: public`).
    case `public`
    /// Invisible without a credential for the map: tiles, documents and listings answer as for an unknown map.
    case `internal`
}
