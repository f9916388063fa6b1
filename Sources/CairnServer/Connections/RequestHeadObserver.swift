import NIOCore
import NIOHTTP1

/// Sits between NIO's HTTP/1 decoder and the conversion to HTTP types, the last place that
/// still knows a request's HTTP version: reports complete request heads and responses to the
/// connection's `ConnectionGuardHandler`, and closes the connection after the response to a
/// request that did not ask to keep it alive (HTTP/1.0 without `Connection: keep-alive`, or
/// `Connection: close`), marking that response `Connection: close`.
final class RequestHeadObserver: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let connection: ConnectionGuardHandler
    /// Whether each request read and not yet answered keeps the connection alive, oldest first.
    private var keepAlive: [Bool] = []

    init(connection: ConnectionGuardHandler) {
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) {
            keepAlive.append(head.isKeepAlive)
            connection.requestHeadReceived()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where keepAlive.first == false:
            head.headers.replaceOrAdd(name: "connection", value: "close")
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end:
            let closes = keepAlive.first == false
            if !keepAlive.isEmpty { keepAlive.removeFirst() }
            connection.responseCompleted()
            guard closes else {
                context.write(data, promise: promise)
                return
            }
            let written = context.writeAndFlush(data)
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            written.cascade(to: promise)
        default:
            context.write(data, promise: promise)
        }
    }
}
