import CairnAccess
import CairnEngine
import Foundation

/// The outcome of the access decision for the request being handled, carried in
/// `CairnRequestContext.access` (set by `AccessGuard` for the route's access class) so controllers
/// can filter listings and mint tile tokens. Empty for open routes and public maps.
struct RequestAccess: Sendable {
    var principal: Principal?
    /// The verified embed URL, when the request is an embed page opened with one.
    var embed: EmbedGrant?
    /// Mints tile tokens for pages whose `<img>` tiles cannot send the caller's credential. Only
    /// the guard's path for internal maps sets one, so a public map's page never gets a token.
    var signer: URLSigner?
    /// The maps' current access classes (set for listings).
    var control: AccessControl?

    /// A tile token for `map` carrying this request's grant (the embed URL's scope, or the
    /// principal's), or nil without a principal or a signing secret.
    func tileToken(for map: String) -> String? {
        guard let signer, let principal, principal.allows(map: map) else { return nil }
        if let embed { return signer.tileToken(for: embed) }
        var grant = EmbedGrant(map: map, expiresAt: principal.expiresAt ?? Date().addingTimeInterval(URLSigner.tileTokenLifetime),
                               id: principal.id)
        grant.bbox = principal.bbox
        grant.minZoom = principal.minZoom
        grant.maxZoom = principal.maxZoom
        return signer.tileToken(for: grant)
    }

    /// `?token=…` for the tile URLs of an HTML page about an internal map, else "".
    func tileQuery(for map: String) -> String {
        tileToken(for: map).map { "?token=" + $0 } ?? ""
    }

    /// The configured maps this request may see, in configuration order. Without an access
    /// control (a route the guard did not treat as a listing) only public maps are visible. The
    /// access classes are the access control's (which a reload may have changed), not the
    /// engine's start-up configuration.
    func visibleMapNames(_ engine: TileEngine) -> [String] {
        let live = control?.maps
        return engine.configuration.maps.filter { configured in
            let access = live == nil ? configured.access : live?[configured.name]?.access
            return access == .public || (access == .internal && principal?.allows(map: configured.name) == true)
        }.map(\.name)
    }
}
