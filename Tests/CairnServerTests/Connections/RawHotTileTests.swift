import CairnTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Synchronization
import Testing
@testable import CairnServer

/// Issue 14, item 1: cached tiles answered from a request's bytes, before the HTTP decoder
/// (`RawHotTileHandler`), are byte for byte what the decoder's path answers, only plain heads are
/// taken there, and a connection the decoder has a share in stays in order.
struct RawHotTileTests {
    static let tile = HotTileTests.uri

    static func parse(_ text: String, maxFields: Int = 100, maxBytes: Int = 16_384) -> RawHotTileHandler.Parsed {
        Array(text.utf8).withUnsafeBytes { RawHotTileHandler.parse($0, maxFields: maxFields, maxBytes: maxBytes) }
    }

    static func request(_ text: String) -> HotTilePath.Request? {
        if case .request(let request) = parse(text) { return request }
        return nil
    }

    @Test func onlyPlainRequestHeadsAreRead() throws {
        let plain = try #require(Self.request("GET \(Self.tile) HTTP/1.1\r\nHost: localhost:8080\r\n\r\n"))
        #expect(plain.path == Self.tile && !plain.headOnly && plain.fieldCount == 0 && plain.fieldBytes == 0)
        let browser = try #require(Self.request(
            "HEAD \(Self.tile) HTTP/1.1\r\nHost: h\r\nConnection: Keep-Alive\r\nIf-None-Match:  \"a\" \t\r\nif-none-match: W/\"b\"\r\n"
            + "X-Forwarded-For: 10.0.0.1\r\nAuthorization: Bearer x\r\nHost: second\r\n\r\n"))
        #expect(browser.headOnly && browser.credentialOrBody)
        #expect(browser.ifNoneMatch == "\"a\", W/\"b\"" && browser.forwardedFor == "10.0.0.1")
        // Host once becomes the authority; a second stays a field, as the router sees it.
        #expect(browser.fieldCount == 6)
        #expect(browser.fieldBytes == ("Connection" + "Keep-Alive" + "If-None-Match" + "\"a\"" + "if-none-match" + "W/\"b\""
            + "X-Forwarded-For" + "10.0.0.1" + "Authorization" + "Bearer x" + "Host" + "second").utf8.count + 6 * 4)
        // Cookies are split by the router's conversion: the decoder reads those, and is empty after.
        guard case .plain = Self.parse("GET \(Self.tile) HTTP/1.1\r\nCookie: a=1; b=2\r\n\r\n") else {
            Issue.record("a request with a cookie was not left to the router as a whole request")
            return
        }
        let others = [
            "GET \(Self.tile) HTTP/1.1\r\nHost: h\r\n",                                        // part of a head
            "GET \(Self.tile) HTTP/1.1\r\nHost: h\r\n\r\nGET \(Self.tile) HTTP/1.1\r\n\r\n",   // pipelined
            "GET \(Self.tile) HTTP/1.0\r\n\r\n",
            "POST \(Self.tile) HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
            "GET \(Self.tile) HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc",
            "GET \(Self.tile) HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
            "GET \(Self.tile) HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
            "GET \(Self.tile) HTTP/1.1\r\nExpect: 100-continue\r\n\r\n",
            "GET \(Self.tile) HTTP/1.1\r\nConnection: close\r\n\r\n",
            "GET \(Self.tile) HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
            "GET \(Self.tile) HTTP/1.1\r\nX-Long: a\r\n b\r\n\r\n",                           // folded line
            "GET \(Self.tile) HTTP/1.1\r\nX-Bad : a\r\n\r\n",
            "GET \(Self.tile) HTTP/1.1\r\nX-Bad: caf\u{E9}\r\n\r\n",
            "GET \(Self.tile) HTTP/1.1\nHost: h\n\n",
            "GET http://h\(Self.tile) HTTP/1.1\r\n\r\n",
            "GET  \(Self.tile) HTTP/1.1\r\n\r\n",
        ]
        for text in others {
            guard case .other = Self.parse(text) else {
                Issue.record("taken as a plain head: \(text.debugDescription)")
                continue
            }
        }
        // Over the decoder's limits: the decoder refuses it, as before.
        let three = "GET \(Self.tile) HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"
        guard case .other = Self.parse(three, maxFields: 2), case .other = Self.parse(three, maxBytes: 40) else {
            Issue.record("a head over the limits was taken")
            return
        }
    }

    @Test func rawAnswersAreTheDecodersByteForByte() async throws {
        let engine = HotTileTests.engine()
        try await ServerFixtures.application(engine).test(.live) { client in
            let port = try #require(client.port)
            let first = try await HotTileTests.fetch(client, Self.tile)
            #expect(first.status == .ok && first.headers["x-cairn-cache"] == "MISS")
            let etag = try #require(first.headers["etag"])
            var inMemory = false
            for _ in 0..<20 where !inMemory {
                inMemory = HotTileTests.hotPath(engine).answer(HotTileTests.request(Self.tile), peer: nil) != nil
                if !inMemory { _ = try await HotTileTests.fetch(client, Self.tile) }
            }
            try #require(inMemory)
            let head = "GET \(Self.tile) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            let notModified = "GET \(Self.tile) HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-None-Match: \(etag)\r\n\r\n"
            let headOnly = "HEAD \(Self.tile) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

            // Two requests in one read go to the decoder (and `HotTileHandler`); one alone is read here.
            let decoded = try await RawConnection.open(port: port)
            let decodedAnswers = try await decoded.exchange(head + notModified, bodies: [true, true])
            let decodedHead = try await decoded.exchange(headOnly, bodies: [false])
            let raw = try await RawConnection.open(port: port)
            let rawAnswers = try await raw.exchange(head, bodies: [true])
                + raw.exchange(notModified, bodies: [true]) + raw.exchange(headOnly, bodies: [false])
            #expect(rawAnswers.map(\.withoutDate) == (decodedAnswers + decodedHead).map(\.withoutDate))
            #expect(rawAnswers[0].head.hasPrefix("HTTP/1.1 200 OK\r\n") && rawAnswers[0].head.contains("X-Cairn-Cache: HIT\r\n"))
            #expect(rawAnswers[0].body.starts(with: pngSignature) && rawAnswers[0].body.count == first.body.count)
            #expect(rawAnswers[1].head.hasPrefix("HTTP/1.1 304 Not Modified\r\n") && rawAnswers[1].body.isEmpty
                    && !rawAnswers[1].head.contains("Content-Length"))
            #expect(rawAnswers[2].body.isEmpty && rawAnswers[2].head.contains("Content-Length: \(first.body.count)\r\n"))
            #expect(rawAnswers[0].head.contains("Date: ") && rawAnswers[0].head.hasSuffix("Server: Cairn\r\n\r\n"))

            // Another route goes to the router; the tile after it on the same connection is answered in order.
            let mixed = try await RawConnection.open(port: port)
            let health = try await mixed.exchange("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", bodies: [true])
            let hit = try await mixed.exchange(head, bodies: [true])
            #expect(health[0].head.hasPrefix("HTTP/1.1 200 OK\r\n") && !health[0].head.contains("X-Cairn-Cache"))
            #expect(hit.map(\.withoutDate) == [rawAnswers[0].withoutDate])
            // Asked to close: the decoder's path says so and closes.
            let closing = try await mixed.exchange("GET \(Self.tile) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", bodies: [true])
            #expect(closing[0].head.lowercased().contains("connection: close\r\n") && closing[0].body == rawAnswers[0].body)
            #expect(await Wait.until(timeout: .seconds(10)) { mixed.isClosed })
            for connection in [decoded, raw, mixed] { await connection.close() }
        }
        try await engine.shutdown()
    }
}

/// One HTTP/1.1 connection driven by hand: bytes out as given, answers read back by their
/// `Content-Length`.
final class RawConnection: Sendable {
    struct Answer: Equatable {
        var head: String
        var body: [UInt8]
        var withoutDate: Answer {
            Answer(head: head.split(separator: "\r\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("Date: ") }.joined(separator: "\r\n"), body: body)
        }
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let bytes = Mutex<[UInt8]>([])
        let closed = Atomic(false)

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            bytes.withLock { $0 += buffer.readableBytesView }
        }

        func channelInactive(context: ChannelHandlerContext) {
            closed.store(true, ordering: .sequentiallyConsistent)
            context.fireChannelInactive()
        }
    }

    private let channel: any Channel
    private let collector: Collector
    private let consumed = Mutex(0)

    private init(channel: any Channel, collector: Collector) {
        self.channel = channel
        self.collector = collector
    }

    static func open(port: Int) async throws -> RawConnection {
        let collector = Collector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { $0.pipeline.addHandler(collector) }
            .connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, collector: collector)
    }

    var isClosed: Bool { collector.closed.load(ordering: .sequentiallyConsistent) }

    /// Sends `text` in one write and waits for one answer per entry of `bodies` (false: a HEAD's, no body).
    func exchange(_ text: String, bodies: [Bool]) async throws -> [Answer] {
        try await channel.writeAndFlush(ByteBuffer(string: text)).get()
        var answers: [Answer] = []
        let complete = await Wait.until(timeout: .seconds(30)) {
            answers = self.collector.bytes.withLock { Self.answers(in: Array($0[self.consumed.withLock { $0 }...]), bodies: bodies) } ?? []
            return answers.count == bodies.count
        }
        try #require(complete, "no complete answer to \(text.debugDescription)")
        consumed.withLock { $0 += answers.reduce(0) { $0 + $1.head.utf8.count + $1.body.count } }
        return answers
    }

    func close() async {
        try? await channel.close().get()
    }

    private static func answers(in bytes: [UInt8], bodies: [Bool]) -> [Answer]? {
        var answers: [Answer] = [], offset = 0
        for hasBody in bodies {
            let rest = bytes[offset...]
            guard let end = rest.indices.first(where: { rest[$0...].starts(with: Array("\r\n\r\n".utf8)) }) else { return nil }
            let head = String(decoding: bytes[offset..<(end + 4)], as: UTF8.self)
            let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            let bodyLength = hasBody && !head.hasPrefix("HTTP/1.1 304") ? length : 0
            guard bytes.count >= end + 4 + bodyLength else { return nil }
            answers.append(Answer(head: head, body: Array(bytes[(end + 4)..<(end + 4 + bodyLength)])))
            offset = end + 4 + bodyLength
        }
        return answers
    }
}
