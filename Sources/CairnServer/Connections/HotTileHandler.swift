import CairnConfiguration
import CairnCore
import CairnEngine
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers `GET`/`HEAD /maps/{map}/{z}/{x}/{y}[@2x].png` of a public map straight from the
/// engine's memory cache, in the channel pipeline before Hummingbird's router: a cached tile
/// costs a hash lookup and a write (its `ByteBuffer` as it is kept, headers formatted once per
/// tile). Everything else — another route, an internal or unknown map, a credential, a query
/// string, a body, a tile not in memory, a rate limit that refuses — is passed on untouched, and
/// the router answers it as before. The answer is the router's, header for header: `ETag`,
/// `Cache-Control`, open CORS, `X-Cairn-Cache: HIT`, 304 on a matching `If-None-Match`, HEAD
/// without the body, `X-Content-Type-Options`, `Date` and `Server`; it is counted in the
/// response metrics and takes from the client address's request bucket like the router's would.
///
/// Sits after `HTTPConnectionStateHandler`, so that handler sees these requests and responses
/// (keep-alive, idle timeout, graceful shutdown) as it sees the router's. While a request passed
/// on is unanswered, the next ones are passed on too, so pipelined responses keep their order.
final class HotTileHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let hot: HotTilePath
    /// Requests passed on whose response has not ended yet.
    private var passedOn = 0
    /// The answer to the request being read, written at its end.
    private var answer: HotTilePath.Answer?
    private var date = HTTPDate()

    init(hot: HotTilePath) {
        self.hot = hot
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            // A client that does not read its answers gets them through the router, which waits for it.
            if passedOn == 0, context.channel.isWritable, let found = hot.answer(request, peer: context.channel.remoteAddress) {
                answer = found
                return
            }
            passedOn += 1
        case .body:
            if answer != nil { return }
        case .end:
            if let answer {
                self.answer = nil
                write(answer, context: context)
                return
            }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { passedOn = max(0, passedOn - 1) }
        context.write(data, promise: promise)
    }

    private func write(_ answer: HotTilePath.Answer, context: ChannelHandlerContext) {
        let tile = answer.tile
        var fields = HTTPFields()
        fields.reserveCapacity(9)
        fields[.eTag] = tile.etag
        fields[.cacheControl] = tile.cacheControl
        fields[.accessControlAllowOrigin] = "*"
        fields[.xCairnCache] = "HIT"
        if answer.notModified {
            fields[.contentLength] = "0"
        } else {
            fields[.contentType] = "image/png"
            fields[.contentLength] = tile.contentLength
        }
        fields[.xContentTypeOptions] = "nosniff"
        fields[.date] = date.now()
        fields[.server] = HotTilePath.serverName
        let status: HTTPResponse.Status = answer.notModified ? .notModified : .ok
        context.write(wrapOutboundOut(.head(HTTPResponse(status: status, headerFields: fields))), promise: nil)
        if !answer.notModified && !answer.headOnly {
            context.write(wrapOutboundOut(.body(tile.body)), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
