import Hummingbird
import NIOCore

/// The request context of the public listener: Hummingbird's basics plus the socket peer,
/// which rate limiting keys anonymous clients by.
public struct CairnRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer; never taken from request headers.
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
