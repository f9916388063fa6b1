/// Who may use a route, declared where the route is registered (see `GuardedRouter`) and
/// applied by `AccessGuard` with the route's resolved parameters.
enum RouteAccess: Sendable, Equatable {
    /// Which error format a route answers refusals in.
    enum Family: Sendable, Equatable {
        /// `/`, `/maps/…`, `/tms/…`, `/embed/…`: JSON errors.
        case maps
        /// `/wmts…`: OWS exception reports.
        case wmts
        /// `/ogcapi/collections/…`: JSON errors naming collections.
        case ogc
    }

    /// Not about any map (health, conformance, tile matrix sets, assets).
    case open
    /// Lists maps (`/`, `/maps`, capabilities, collections), filtered per principal; a credential
    /// is optional, but one that fails verification is refused.
    case listing(Family)
    /// About the one map named by the route's `:map` parameter. `tile` says where a tile route keeps
    /// its coordinates, so credentials limited to an area or zoom range are checked against them.
    case map(Family, tile: TileRouteParameters? = nil)
    /// The embed page of the map named by `:map` (opened with a credential or a signed embed URL).
    case embed
    /// `/wmts` key-value requests: GetTile is about the map named by the `LAYER` query parameter
    /// (tile from `TILEMATRIXSET`, `TILEMATRIX`, `TILEROW`, `TILECOL`); any other request is a listing.
    case wmtsKeyValue
}
