import HTTPTypes
import NIOCore

/// `HotTileHandler`'s answers, given before the HTTP decoder: a read that holds exactly one plain
/// `GET`/`HEAD` HTTP/1.1 request head for a tile `HotTilePath` answers costs a scan of its bytes and
/// two buffers written (the head, then the tile's body as kept), without the decoder, the conversion
/// to HTTP types and back, and the encoder, which cost most of a cached tile's time. The decision is
/// `HotTilePath`'s, the head's fields and their order `HotTileHandler`'s, so the answer is the one
/// the router gives.
///
/// Anything it is not sure of goes on to the decoder as it came. It answers only while the decoder
/// holds nothing: every read passed on so far was one whole request without a body, and each was
/// answered (so pipelined answers keep their order); after any other read the connection is left to
/// the decoder for good. The connection's guard and state handlers hear of each request it answers.
final class RawHotTileHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = IOData

    private let hot: HotTilePath
    private let connection: ConnectionGuardHandler
    private let state: ConnectionStateHandler
    /// Every read passed to the decoder was one whole request head without a body.
    private var decoderIsEmpty = true
    private var flushPending = false
    private var date = HTTPDate()

    init(hot: HotTilePath, connection: ConnectionGuardHandler, state: ConnectionStateHandler) {
        self.hot = hot
        self.connection = connection
        self.state = state
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard decoderIsEmpty else {
            context.fireChannelRead(data)
            return
        }
        let buffer = unwrapInboundIn(data)
        let limits = hot.limiter.limits
        let parsed = buffer.withUnsafeReadableBytes { Self.parse($0, maxFields: limits.maxHeaders, maxBytes: limits.maxHeaderBytes) }
        guard case .request(let request) = parsed else {
            if case .other = parsed { decoderIsEmpty = false }
            context.fireChannelRead(data)
            return
        }
        // A client that does not read its answers gets them through the router, which waits for it.
        guard connection.requestsOpen == 0, context.channel.isWritable,
              let answer = hot.answer(request, peer: hot.limiter.limits.perIP.requestsPerSecond > 0 ? context.remoteAddress : nil) else {
            context.fireChannelRead(data)
            return
        }
        connection.requestHeadReceived()
        write(answer, context: context)
        connection.responseCompleted()
        state.noteActivity()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if flushPending {
            flushPending = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    private func write(_ answer: HotTilePath.Answer, context: ChannelHandlerContext) {
        let tile = answer.tile
        var head = context.channel.allocator.buffer(capacity: 384)
        head.writeString(answer.notModified ? Self.notModifiedStatus : Self.okStatus)
        head.writeString(Self.eTag)
        head.writeString(tile.etag)
        head.writeString(Self.cacheControl)
        head.writeString(tile.cacheControl)
        head.writeString(Self.openAndHit)
        // A 304 goes without Content-Length, as NIO's encoder sends `HotTileHandler`'s.
        if !answer.notModified {
            head.writeString(Self.pngLength)
            head.writeString(tile.contentLength)
            head.writeString(Self.lineEnd)
        }
        head.writeString(Self.nosniffAndDate)
        head.writeString(date.now())
        head.writeString(Self.server)
        context.write(wrapOutboundOut(.byteBuffer(head)), promise: nil)
        if !answer.notModified && !answer.headOnly {
            context.write(wrapOutboundOut(.byteBuffer(tile.body)), promise: nil)
        }
        flushPending = true
    }

    // The head `HotTileHandler` writes, as NIO's HTTP/1 encoder lays it out: `Name: value\r\n`.
    private static func field(_ name: HTTPField.Name) -> String { name.rawName + ": " }
    private static let okStatus = "HTTP/1.1 200 OK\r\n"
    private static let notModifiedStatus = "HTTP/1.1 304 Not Modified\r\n"
    private static let eTag = field(.eTag)
    private static let cacheControl = "\r\n" + field(.cacheControl)
    private static let openAndHit = "\r\n" + field(.accessControlAllowOrigin) + "*\r\n" + field(.xCairnCache) + "HIT\r\n"
    private static let lineEnd = "\r\n"
    private static let pngLength = field(.contentType) + "image/png\r\n" + field(.contentLength)
    private static let nosniffAndDate = field(.xContentTypeOptions) + "nosniff\r\n" + field(.date)
    private static let server = "\r\n" + field(.server) + HotTilePath.serverName + "\r\n\r\n"

    enum Parsed {
        /// One plain request head, ending the read.
        case request(HotTilePath.Request)
        /// One whole request head without a body that the router answers (it has a cookie): the
        /// decoder reads it and is empty again after.
        case plain
        /// Anything else: part of a head, more than one, a body, a header this parser does not vouch for.
        case other
    }

    /// Reads `bytes` as one HTTP/1.1 request head, strictly: a request line of `GET`/`HEAD`, an
    /// origin-form target of visible ASCII and `HTTP/1.1`; then fields of token names and visible
    /// ASCII values, each on a line ending in CRLF; then the empty line, at the very end. Fields are
    /// counted as the router gets them: `Host` becomes the authority, the others stay.
    static func parse(_ bytes: UnsafeRawBufferPointer, maxFields: Int, maxBytes: Int) -> Parsed {
        let count = bytes.count
        guard count >= 18, count <= maxBytes, bytes[count - 4] == cr, bytes[count - 3] == lf,
              bytes[count - 2] == cr, bytes[count - 1] == lf else { return .other }
        var i: Int, headOnly: Bool
        if bytes[0] == UInt8(ascii: "G"), bytes[1] == UInt8(ascii: "E"), bytes[2] == UInt8(ascii: "T"), bytes[3] == space {
            i = 4; headOnly = false
        } else if bytes[0] == UInt8(ascii: "H"), bytes[1] == UInt8(ascii: "E"), bytes[2] == UInt8(ascii: "A"),
                  bytes[3] == UInt8(ascii: "D"), bytes[4] == space {
            i = 5; headOnly = true
        } else {
            return .other
        }
        let targetStart = i
        guard bytes[i] == UInt8(ascii: "/") else { return .other }
        while i < count, bytes[i] != space {
            guard bytes[i] > 0x20, bytes[i] < 0x7F else { return .other }
            i += 1
        }
        let targetEnd = i
        let version = " HTTP/1.1\r\n".utf8
        guard count - i >= version.count + 2 else { return .other }
        for byte in version {
            guard bytes[i] == byte else { return .other }
            i += 1
        }
        var request = HotTilePath.Request(headOnly: headOnly, path: "", fieldCount: 0, fieldBytes: 0, credentialOrBody: false,
                                          ifNoneMatch: nil, forwardedFor: nil)
        var lines = 0, sawHost = false, plainOnly = false
        while bytes[i] != cr {
            lines += 1
            guard lines <= maxFields else { return .other }
            let nameStart = i
            while bytes[i] != UInt8(ascii: ":") {
                guard isToken(bytes[i]) else { return .other }
                i += 1
            }
            let nameEnd = i
            guard nameEnd > nameStart else { return .other }
            i += 1
            while bytes[i] == space || bytes[i] == tab { i += 1 }
            let valueStart = i
            while bytes[i] != cr {
                guard bytes[i] >= 0x20 && bytes[i] < 0x7F || bytes[i] == tab else { return .other }
                i += 1
            }
            guard bytes[i + 1] == lf else { return .other }
            var valueEnd = i
            while valueEnd > valueStart, bytes[valueEnd - 1] == space || bytes[valueEnd - 1] == tab { valueEnd -= 1 }
            i += 2
            let name = UnsafeRawBufferPointer(rebasing: bytes[nameStart..<nameEnd])
            let value = UnsafeRawBufferPointer(rebasing: bytes[valueStart..<valueEnd])
            switch FieldKind(name) {
            case .host where !sawHost:
                sawHost = true
                continue
            case .body:
                return .other
            case .connection:
                // Browsers say so; anything else (close, upgrade) is the decoder's to act on.
                guard value.count == 10, FieldKind.lowercased(value, equals: "keep-alive") else { return .other }
            case .credential:
                request.credentialOrBody = true
            case .cookie:
                plainOnly = true
            case .ifNoneMatch:
                request.ifNoneMatch = joined(request.ifNoneMatch, value)
            case .forwardedFor:
                request.forwardedFor = joined(request.forwardedFor, value)
            case .host, .other:
                break
            }
            request.fieldCount += 1
            request.fieldBytes += name.count + value.count + 4
        }
        guard i == count - 2 else { return .other }
        if plainOnly { return .plain }
        request.path = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[targetStart..<targetEnd]), as: UTF8.self)
        return .request(request)
    }

    private static let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"), space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

    private static func joined(_ earlier: String?, _ value: UnsafeRawBufferPointer) -> String {
        let text = String(decoding: value, as: UTF8.self)
        return earlier.map { $0 + ", " + text } ?? text
    }

    /// RFC 9110 `tchar`.
    private static func isToken(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
             UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"): true
        default: false
        }
    }

    /// The fields the hot path looks at, by case-insensitive name.
    private enum FieldKind {
        case host, body, connection, credential, cookie, ifNoneMatch, forwardedFor, other

        /// ASCII case-insensitive, for `expected` in lower case with letters and `-` only.
        static func lowercased(_ bytes: UnsafeRawBufferPointer, equals expected: StaticString) -> Bool {
            guard bytes.count == expected.utf8CodeUnitCount else { return false }
            let pointer = expected.utf8Start
            for index in 0..<bytes.count where bytes[index] | 0x20 != pointer[index] { return false }
            return true
        }

        init(_ name: UnsafeRawBufferPointer) {
            func named(_ expected: StaticString) -> Bool { Self.lowercased(name, equals: expected) }
            switch name.count {
            case 4: self = named("host") ? .host : .other
            case 6: self = named("expect") ? .body : named("cookie") ? .cookie : .other
            case 7: self = named("upgrade") ? .body : .other
            case 9: self = named("x-api-key") ? .credential : .other
            case 10: self = named("connection") ? .connection : .other
            case 13: self = named("authorization") ? .credential : named("if-none-match") ? .ifNoneMatch : .other
            case 14: self = named("content-length") ? .body : .other
            case 15: self = named("x-forwarded-for") ? .forwardedFor : .other
            case 17: self = named("transfer-encoding") ? .body : .other
            default: self = .other
            }
        }
    }
}
