@testable import CairnConfiguration
import CairnEngine
import CairnPNG
import CairnWebP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CairnServer
import CairnTestSupport

/// The `.webp` tile route beside the `.png` one, in process; and the map's `format:` setting.
struct WebPTileRouteTests {
    static let path = "/maps/mini/13/6523/3610"

    @Test func servesWebPWithCachingHeaders() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            for (suffix, side) in [(".webp", 256), ("@2x.webp", 512)] {
                let etag = try await client.execute(uri: Self.path + suffix, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "image/webp")
                    #expect(response.headers[.cacheControl] == "public, max-age=600")
                    #expect(response.headers[.accessControlAllowOrigin] == "*")
                    #expect(response.headers[HTTPField.Name("X-Cairn-Cache")!] == "MISS")
                    let body = Array(response.body.readableBytesView)
                    #expect(response.headers[.contentLength] == String(body.count))
                    let image = try WebPDecoder.decode(body)
                    #expect(image.width == side && image.height == side)
                    return try #require(response.headers[.eTag])
                }
                try await client.execute(uri: Self.path + suffix, method: .get) { response in
                    #expect(response.headers[HTTPField.Name("X-Cairn-Cache")!] == "HIT")
                    #expect(response.headers[.eTag] == etag)
                }
                try await client.execute(uri: Self.path + suffix, method: .get, headers: [.ifNoneMatch: etag]) { response in
                    #expect(response.status == .notModified)
                    #expect(response.body.readableBytes == 0)
                }
                try await client.execute(uri: Self.path + suffix, method: .head) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "image/webp")
                    #expect(response.body.readableBytes == 0)
                }
            }
        }
        try await engine.shutdown()
    }

    @Test func webPAndPNGShowTheSamePixels() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            let png = try await client.execute(uri: Self.path + ".png", method: .get) { response in
                #expect(response.headers[.contentType] == "image/png")
                return Array(response.body.readableBytesView)
            }
            let webp = try await client.execute(uri: Self.path + ".webp", method: .get) { Array($0.body.readableBytesView) }
            let pngImage = try PNGDecoder.decode(png).rgba
            let webpImage = try WebPDecoder.decode(webp)
            // WebP is lossless here; the PNG is palette (png8), so compare within the quantiser's error.
            let total = zip(pngImage, webpImage.rgba).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
            #expect(Double(total) / Double(pngImage.count) < 1.0)
        }
        try await engine.shutdown()
    }

    @Test func malformedAndOutOfRangeAddresses() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            for (uri, status) in [("/maps/mini/13/6523/x.webp", HTTPResponse.Status.badRequest), ("/maps/mini/13/6523/3610@3x.webp", .badRequest),
                                  ("/maps/mini/13/6523/03610.webp", .badRequest), ("/maps/nope/13/6523/3610.webp", .notFound),
                                  ("/maps/mini/30/0/0.webp", .notFound)] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == status, "\(uri)")
                    #expect(response.headers[.contentType] != "image/webp", "\(uri)")
                }
            }
        }
        try await engine.shutdown()
    }

    @Test func formatSettingIsReadWithLineNumberedErrors() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func parse(_ format: String) throws -> CairnConfiguration {
            try CairnConfiguration.parse(yaml: """
                maps:
                  - name: mini
                    style: \(ServerFixtures.miniStyle)
                    format: \(format)
                """, path: folder + "/cairn.yaml")
        }
        #expect(try parse("png32").maps[0].pngFormat == .png32)
        #expect(try parse("png8").maps[0].pngFormat == .png8)
        #expect(MapConfiguration(name: "a", stylePath: "/a.json").pngFormat == .png8, "png8 is the default")
        do {
            _ = try parse("jpeg")
            Issue.record("format: jpeg was accepted")
        } catch {
            #expect("\(error)".contains("cairn.yaml:4: maps[0].format: expected png8 (palette, the default) or png32 (truecolour), got \"jpeg\""), "\(error)")
        }
    }
}
