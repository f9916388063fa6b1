import CairnEngine
import CairnVectorTile
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CairnServer

/// `GET /fonts/{fontstack}/{start}-{end}.pbf` on a real server on 127.0.0.1: MapLibre glyph ranges
/// from the installed fonts, cached with an ETag, open to all; malformed stacks and ranges are 400s.
@Suite struct FontRouteTests {
    static let range = "/fonts/Noto%20Sans%20Regular,Arial%20Unicode%20MS%20Regular/7680-7935.pbf"

    @Test func glyphRangeIsServedWithAnETagAndRevalidated() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.live) { client in
            let etag = try await client.execute(uri: Self.range, method: .get) { response -> String? in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/x-protobuf")
                #expect(response.headers[.cacheControl] == "public, max-age=604800")
                #expect(response.headers[.accessControlAllowOrigin] == "*")
                let stacks = try GlyphRangePBF.decode(Array(response.body.readableBytesView))
                #expect(stacks.count == 1)
                let stack = try #require(stacks.first)
                #expect(stack.name == "Noto Sans Regular,Arial Unicode MS Regular")
                #expect(stack.range == "7680-7935")
                let ids = Set(stack.glyphs.map(\.id))
                #expect(ids.allSatisfy { (7680...7935).contains($0) })
                #expect((UInt32(0x1EA0)...0x1EF9).allSatisfy { ids.contains($0) }, "every Vietnamese letter of Latin Extended Additional")
                for glyph in stack.glyphs where glyph.width > 0 {
                    #expect(glyph.bitmap.count == Int((glyph.width + 6) * (glyph.height + 6)))
                }
                return response.headers[.eTag]
            }
            let tag = try #require(etag)
            #expect(tag.hasPrefix("\"") && tag.hasSuffix("\""))
            try await client.execute(uri: Self.range, method: .get, headers: [.ifNoneMatch: tag]) { response in
                #expect(response.status == .notModified)
                #expect(response.headers[.eTag] == tag)
                #expect(response.body.readableBytes == 0)
            }
            // The same stack with its comma escaped too (as encodeURIComponent would) is the same range.
            try await client.execute(uri: "/fonts/Noto%20Sans%20Regular%2CArial%20Unicode%20MS%20Regular/7680-7935.pbf", method: .head) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.eTag] == tag)
            }
        }
        #expect(engine.glyphRangeCount == 1)
        try await engine.shutdown()
    }

    @Test func unknownFontsGetTheDefaultFont() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.live) { client in
            let unknown = try await client.execute(uri: "/fonts/No%20Such%20Font%20Regular/0-255.pbf", method: .get) { response in
                #expect(response.status == .ok)
                return try GlyphRangePBF.decode(Array(response.body.readableBytesView)).first?.glyphs
            }
            let fallback = try await client.execute(uri: "/fonts/DejaVu%20Sans%20Book/0-255.pbf", method: .get) { response in
                try GlyphRangePBF.decode(Array(response.body.readableBytesView)).first?.glyphs
            }
            #expect(unknown != nil && unknown?.isEmpty == false)
            #expect(unknown == fallback)
        }
        try await engine.shutdown()
    }

    @Test func malformedRangesAndStacksAreClear400s() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.live) { client in
            for range in ["0-256", "1-256", "256-255", "65536-65791", "abc", "0-255-511", "-0-255", "00000000000-255"] {
                try await client.execute(uri: "/fonts/Noto%20Sans%20Regular/\(range).pbf", method: .get) { response in
                    #expect(response.status == .badRequest, "\(range)")
                    let body = String(buffer: response.body)
                    #expect(body.contains("expected {start}-{end} with start a multiple of 256"), "\(range): \(body)")
                }
            }
            for stack in [",", "Noto%20Sans%20Regular,,Arial", "%ZZ", "A,B,C,D,E,F,G,H,I", "Noto%0ASans"] {
                try await client.execute(uri: "/fonts/\(stack)/0-255.pbf", method: .get) { response in
                    #expect(response.status == .badRequest, "\(stack)")
                    // Bad escapes and control characters are refused for every path before routing.
                    let body = String(buffer: response.body)
                    #expect(body.contains("font stack") || body.contains("malformed percent-encoding or control characters"), "\(stack): \(body)")
                }
            }
            // Not a glyph range at all: no such route.
            try await client.execute(uri: "/fonts/Noto%20Sans%20Regular/0-255.png", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
        try await engine.shutdown()
    }

    @Test func fontsAreOpenLikeTheViewersOtherAssets() async throws {
        let engine = ServerFixtures.engine()
        let table = buildGuardedRouter(engine: engine, fallbackHost: "localhost").accessClasses
        #expect(table.access(of: "/fonts/:fontstack/{range}.pbf") == .open)
        try await engine.shutdown()
    }
}
