import Logging
import NIOCore

/// The first handler of every connection, before the HTTP decoder, so it sees raw bytes and
/// owns the connection's place and clocks:
/// - over the listener's cap, the connection is answered with a fixed `503` (`Retry-After`,
///   `Connection: close`) and closed at once, without reading or parsing anything. Accepting and
///   closing is what makes it fast: stopping `accept` (Hummingbird's `MaximumAvailableConnections`)
///   would leave clients waiting in the kernel's backlog with no answer at all;
/// - a request head must be complete within `headTimeout` of connecting, or of the first byte
///   after an idle keep-alive pause (slowloris); idle pauses between requests are left to the
///   idle timeout of Hummingbird's `HTTPConnectionStateHandler`;
/// - a socket that stays unwritable (a client that does not read its response) for
///   `writeTimeout` is closed.
/// `RequestHeadObserver`, after the decoder, reports complete heads and responses.
final class ConnectionGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private let policy: ConnectionPolicy
    private let logger: Logger
    private var started = false
    private var admitted = false
    private var refused = false
    /// Requests whose head was read and whose response is not yet complete.
    private(set) var requestsOpen = 0
    /// Bytes of a request head have arrived (or the connection is new) and the head is not complete.
    private var awaitingHead = true
    private var sawBytesOfHead = false
    private var headTimer: Scheduled<Void>?
    /// When the head being waited for is late; nil: none is. The timer is not cancelled when a head
    /// arrives (a keep-alive connection would schedule and cancel one per request): it finds no
    /// deadline, or a later one and waits again.
    private var headDeadline: NIODeadline?
    private var writeTimer: Scheduled<Void>?
    private var lingerTimer: Scheduled<Void>?

    init(policy: ConnectionPolicy, logger: Logger) {
        self.policy = policy
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        start(context: context)
    }

    private func start(context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        guard policy.gate.enter() else {
            refuse(context: context)
            return
        }
        admitted = true
        startHeadTimer(context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if admitted {
            admitted = false
            policy.gate.leave()
        }
        cancelTimers()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimers()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // A refused connection's request is never parsed; it is read only so the close is not a reset.
        guard !refused else { return }
        if requestsOpen == 0 && !awaitingHead {
            awaitingHead = true
            startHeadTimer(context: context)
        }
        sawBytesOfHead = true
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if refused, let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            writeTimer?.cancel()
            writeTimer = nil
        } else if writeTimer == nil {
            writeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: policy.writeTimeout) { [self] in
                writeTimer = nil
                if !context.channel.isWritable { context.close(promise: nil) }
            }
        }
        context.fireChannelWritabilityChanged()
    }

    // MARK: Reported by `RequestHeadObserver`

    func requestHeadReceived() {
        requestsOpen += 1
        awaitingHead = false
        sawBytesOfHead = false
        headDeadline = nil
    }

    func responseCompleted() {
        requestsOpen = max(0, requestsOpen - 1)
    }

    // MARK: -

    private func startHeadTimer(context: ChannelHandlerContext) {
        let deadline = NIODeadline.now() + policy.headTimeout
        headDeadline = deadline
        if headTimer == nil { armHeadTimer(context: context, at: deadline) }
    }

    private func armHeadTimer(context: ChannelHandlerContext, at deadline: NIODeadline) {
        headTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            headTimer = nil
            guard let headDeadline else { return }
            if NIODeadline.now() < headDeadline {
                armHeadTimer(context: context, at: headDeadline)
                return
            }
            self.headDeadline = nil
            guard awaitingHead, requestsOpen == 0 else { return }
            // A client that sent part of a head hears why; one that sent nothing is simply closed.
            if sawBytesOfHead {
                context.writeAndFlush(wrapOutboundOut(.byteBuffer(Self.fixedResponse("408 Request Timeout", extra: ""))), promise: nil)
            }
            context.close(promise: nil)
        }
    }

    private func refuse(context: ChannelHandlerContext) {
        refused = true
        policy.gate.refusedOne(logger: logger)
        let answer = Self.fixedResponse("503 Service Unavailable", extra: "Retry-After: \(policy.retryAfterSeconds)\r\n")
        // Half-close after the answer, then close when the client does, or after half a second
        // at most: closing with its request unread would reset the connection and lose the answer.
        context.writeAndFlush(wrapOutboundOut(.byteBuffer(answer))).assumeIsolated().whenComplete { _ in
            context.close(mode: .output, promise: nil)
        }
        lingerTimer = context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(500)) { context.close(promise: nil) }
    }

    private func cancelTimers() {
        headTimer?.cancel()
        headTimer = nil
        headDeadline = nil
        writeTimer?.cancel()
        writeTimer = nil
        lingerTimer?.cancel()
        lingerTimer = nil
    }

    static func fixedResponse(_ status: String, extra: String) -> ByteBuffer {
        ByteBuffer(string: "HTTP/1.1 \(status)\r\nConnection: close\r\nContent-Length: 0\r\nCache-Control: no-store\r\n\(extra)\r\n")
    }
}
