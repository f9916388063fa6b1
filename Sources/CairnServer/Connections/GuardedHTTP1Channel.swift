import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1 child channel with Cairn's connection guards around it (see
/// `ConnectionGuardHandler` and `RequestHeadObserver`): the pipeline `HTTP1Channel` builds, with
/// one handler before the HTTP decoder and one before the conversion to HTTP types, where
/// `HTTP1Channel.Configuration.additionalChannelHandlers` cannot reach. Cached tiles are answered
/// before the decoder (`RawHotTileHandler`) or, on a connection it leaves to the decoder, before the
/// router (`HotTileHandler`); `ConnectionStateHandler` stands for Hummingbird's.
struct GuardedHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let policy: ConnectionPolicy
    let decoderLimits: NIOHTTPDecoderLimitConfiguration
    let additionalChannelHandlers: @Sendable () -> [any RemovableChannelHandler]
    /// Cached tiles answered before the router (see `HotTileHandler`); nil: all go to the router.
    var hotTiles: HotTilePath?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let operations = channel.pipeline.syncOperations
            let guardHandler = ConnectionGuardHandler(policy: policy, logger: logger)
            try operations.addHandler(guardHandler)
            let state = ConnectionStateHandler(idleTimeout: policy.idleTimeout)
            if let hotTiles { try operations.addHandler(RawHotTileHandler(hot: hotTiles, connection: guardHandler, state: state)) }
            try operations.configureHTTPServerPipeline(
                withPipeliningAssistance: false, withErrorHandling: false, withOutboundHeaderValidation: false,
                withEncoderConfiguration: .init(), withDecoderLimitConfiguration: decoderLimits
            )
            try operations.addHandler(RequestHeadObserver(connection: guardHandler))
            try operations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try operations.addHandlers(additionalChannelHandlers())
            try operations.addHandler(state)
            if let hotTiles { try operations.addHandler(HotTileHandler(hot: hotTiles)) }
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with Cairn's connection cap and timeouts (see `GuardedHTTP1Channel`).
    static func guardedHTTP1(policy: ConnectionPolicy, decoderLimits: NIOHTTPDecoderLimitConfiguration = .init(),
                             additionalChannelHandlers: @escaping @Sendable () -> [any RemovableChannelHandler] = { [] },
                             hotTiles: HotTilePath? = nil) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            GuardedHTTP1Channel(responder: responder, policy: policy, decoderLimits: decoderLimits,
                                additionalChannelHandlers: additionalChannelHandlers, hotTiles: hotTiles)
        }
    }
}
