import CairnEngine
import Hummingbird
import NIOCore

/// The request context of the public listener: Hummingbird's basics, the socket peer (which
/// rate limiting keys anonymous clients by), and what the access guard and rate limiter decided.
public struct CairnRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer; never taken from request headers.
    public let remoteAddress: SocketAddress?
    /// Who is asking, as the route's access class required (see `AccessGuard`).
    var access = RequestAccess()
    /// The render budget of the client (see `RateLimitMiddleware`); tile controllers pass it to the engine.
    public var renderAdmission: RenderAdmission = .unlimited

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
