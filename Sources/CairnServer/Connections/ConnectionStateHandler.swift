import NIOCore
import NIOHTTPTypes

/// Hummingbird's `HTTPConnectionStateHandler`, with the same rules: a connection with no request in
/// progress is closed after `idleTimeout` without reads or writes, and a quiesce (graceful shutdown)
/// closes it at once when idle, else after the response in progress. One addition: the requests
/// `RawHotTileHandler` answers before the HTTP decoder never pass here, so it reports them with
/// `noteActivity()` and a busy connection is not taken for an idle one.
final class ConnectionStateHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let idleTimeout: TimeAmount
    private var requestsInProgress = 0
    private var isRequestBeingRead = false
    private var lastActive = NIODeadline.now()
    private var isActive = false
    private var closeAfterResponseWritten = false
    private var idleTask: Scheduled<Void>?

    init(idleTimeout: TimeAmount) {
        self.idleTimeout = idleTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { setActive(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        idleTask?.cancel()
        idleTask = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        setActive(context: context)
        context.fireChannelActive()
    }

    // Not passed on, as Hummingbird's handler does not either.
    func channelInactive(context: ChannelHandlerContext) {
        isActive = false
    }

    /// A request answered and written elsewhere on this connection, just now.
    func noteActivity() {
        lastActive = .now()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastActive = .now()
        switch unwrapInboundIn(data) {
        case .head:
            isRequestBeingRead = true
            requestsInProgress += 1
        case .body:
            break
        case .end:
            isRequestBeingRead = false
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            requestsInProgress -= 1
            if requestsInProgress == 0 {
                if closeAfterResponseWritten {
                    context.writeAndFlush(data, promise: promise)
                    context.close(promise: nil)
                    return
                }
                if isActive {
                    lastActive = .now()
                    scheduleIdleTask(context: context, deadline: lastActive + idleTimeout)
                }
            }
        }
        context.write(data, promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        if requestsInProgress > 0 {
            closeAfterResponseWritten = true
        } else {
            context.close(promise: nil)
        }
    }

    private func setActive(context: ChannelHandlerContext) {
        guard !isActive else { return }
        isActive = true
        scheduleIdleTask(context: context, deadline: .now() + idleTimeout)
    }

    private func scheduleIdleTask(context: ChannelHandlerContext, deadline: NIODeadline) {
        guard idleTask == nil else { return }
        idleTask = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: deadline) { [self] in
            idleTask = nil
            guard isActive else { return }
            // Read and still answering: not idle.
            if !isRequestBeingRead && requestsInProgress > 0 { return }
            if NIODeadline.now() >= lastActive + idleTimeout {
                context.close(promise: nil)
            } else {
                scheduleIdleTask(context: context, deadline: lastActive + idleTimeout)
            }
        }
    }
}
