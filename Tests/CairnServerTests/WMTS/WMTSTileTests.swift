import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import CairnEngine
import CairnTestSupport
@testable import CairnServer

/// GetTile, KVP and RESTful, against the XYZ route it shares the renderer and cache with.
struct WMTSTileTests {
    static let xyz = "/maps/mini/13/6523/3610.png"
    static let kvp = "/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=mini&STYLE=default&TILEMATRIXSET=WebMercatorQuad"
        + "&TILEMATRIX=13&TILEROW=3610&TILECOL=6523&FORMAT=image/png"
    static let lowerCaseKVP = "/wmts?service=WMTS&request=GetTile&version=1.0.0&layer=mini&style=default&tilematrixset=WebMercatorQuad"
        + "&tilematrix=13&tilerow=3610&tilecol=6523&format=image%2Fpng"
    static let rest = "/wmts/mini/default/WebMercatorQuad/13/3610/6523.png"

    @Test func everyEncodingGivesTheXYZTile() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            let reference = try await client.execute(uri: Self.xyz, method: .get) { response in
                (Array(response.body.readableBytesView), response.headers[.eTag])
            }
            #expect(Array(reference.0.prefix(8)) == pngSignature)
            // The reference's metatile is stored behind its answer.
            #expect(await Wait.until { engine.batchesFinishingBehindAnswers == 0 })
            for uri in [Self.kvp, Self.lowerCaseKVP, Self.rest] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                    #expect(response.headers[.contentType] == "image/png")
                    #expect(response.headers[.cacheControl] == "public, max-age=600")
                    #expect(response.headers[.accessControlAllowOrigin] == "*")
                    #expect(response.headers[.eTag] == reference.1)
                    #expect(response.headers[HTTPField.Name("X-Cairn-Cache")!] == "HIT")
                    #expect(Array(response.body.readableBytesView) == reference.0, "\(uri)")
                }
            }
            let etag = try #require(reference.1)
            try await client.execute(uri: Self.rest, method: .get, headers: [.ifNoneMatch: etag]) { response in
                #expect(response.status == .notModified)
                #expect(response.body.readableBytes == 0)
            }
        }
        try await engine.shutdown()
    }

    static let getTile = "/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&FORMAT=image/png&STYLE=default&TILEMATRIXSET=WebMercatorQuad"

    @Test(arguments: [
        ("/wmts", HTTPResponse.Status.badRequest, "MissingParameterValue", "Service"),
        ("/wmts?SERVICE=WMS&REQUEST=GetCapabilities", .badRequest, "InvalidParameterValue", "Service"),
        ("/wmts?SERVICE=WMTS", .badRequest, "MissingParameterValue", "Request"),
        ("/wmts?SERVICE=WMTS&REQUEST=GetFeatureInfo", .notImplemented, "OperationNotSupported", "Request"),
        ("/wmts?SERVICE=WMTS&REQUEST=GetCapabilities&ACCEPTVERSIONS=2.0.0", .badRequest, "VersionNegotiationFailed", "AcceptVersions"),
        (getTile + "&LAYER=mini&TILEMATRIX=3&TILECOL=0", .badRequest, "MissingParameterValue", "TileRow"),
        (getTile + "&LAYER=mini&TILEMATRIX=3&TILECOL=0&TILEROW=", .badRequest, "MissingParameterValue", "TileRow"),
        (getTile.replacingOccurrences(of: "VERSION=1.0.0", with: "VERSION=2.0.0") + "&LAYER=mini&TILEMATRIX=3&TILEROW=0&TILECOL=0",
         .badRequest, "InvalidParameterValue", "Version"),
        (getTile + "&LAYER=nope&TILEMATRIX=3&TILEROW=0&TILECOL=0", .badRequest, "InvalidParameterValue", "Layer"),
        (getTile + "&LAYER=..%2F..%2Fetc%2Fpasswd&TILEMATRIX=3&TILEROW=0&TILECOL=0", .badRequest, "InvalidParameterValue", "Layer"),
        (getTile.replacingOccurrences(of: "STYLE=default", with: "STYLE=fancy") + "&LAYER=mini&TILEMATRIX=3&TILEROW=0&TILECOL=0",
         .badRequest, "InvalidParameterValue", "Style"),
        (getTile.replacingOccurrences(of: "FORMAT=image/png", with: "FORMAT=image/jpeg") + "&LAYER=mini&TILEMATRIX=3&TILEROW=0&TILECOL=0",
         .badRequest, "InvalidParameterValue", "Format"),
        (getTile.replacingOccurrences(of: "WebMercatorQuad", with: "Nope") + "&LAYER=mini&TILEMATRIX=3&TILEROW=0&TILECOL=0",
         .badRequest, "InvalidParameterValue", "TileMatrixSet"),
        (getTile + "&LAYER=mini&TILEMATRIX=25&TILEROW=0&TILECOL=0", .badRequest, "InvalidParameterValue", "TileMatrix"),
        (getTile + "&LAYER=mini&TILEMATRIX=03&TILEROW=0&TILECOL=0", .badRequest, "InvalidParameterValue", "TileMatrix"),
        (getTile + "&LAYER=mini&TILEMATRIX=21&TILEROW=0&TILECOL=0", .badRequest, "TileOutOfRange", "TileMatrix"),
        (getTile + "&LAYER=mini&TILEMATRIX=3&TILEROW=8&TILECOL=0", .badRequest, "TileOutOfRange", "TileRow"),
        (getTile + "&LAYER=mini&TILEMATRIX=3&TILEROW=0&TILECOL=-1", .badRequest, "TileOutOfRange", "TileCol"),
        (getTile + "&LAYER=mini&TILEMATRIX=3&TILEROW=1e3&TILECOL=0", .badRequest, "InvalidParameterValue", "TileRow"),
        ("/wmts/nope/default/WebMercatorQuad/3/0/0.png", .badRequest, "InvalidParameterValue", "Layer"),
        ("/wmts/mini/fancy/WebMercatorQuad/3/0/0.png", .badRequest, "InvalidParameterValue", "Style"),
        ("/wmts/mini/default/WebMercatorQuad/3/8/0.png", .badRequest, "TileOutOfRange", "TileRow"),
        ("/wmts/mini/default/WebMercatorQuad/3/0/8.png", .badRequest, "TileOutOfRange", "TileCol"),
        ("/wmts/mini/default/WebMercatorQuad/3/0/0.jpg", .badRequest, "InvalidParameterValue", "Format"),
    ])
    func errorsAreExceptionReports(uri: String, status: HTTPResponse.Status, code: String, locator: String) async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == status, "\(uri)")
                #expect(response.headers[.contentType] == "application/xml; charset=utf-8")
                #expect(response.headers[.cacheControl] == "no-store")
                let root = try #require(XMLTree.parse(Data(buffer: response.body)), "\(uri)")
                #expect(root.name == "ows:ExceptionReport")
                #expect(root.attributes["version"] == "1.1.0")
                #expect(root.attributes["xmlns:ows"] == "http://www.opengis.net/ows/1.1")
                let exception = try #require(root.child("ows:Exception"))
                #expect(exception.attributes["exceptionCode"] == code, "\(uri)")
                #expect(exception.attributes["locator"] == locator, "\(uri)")
                #expect(exception.child("ows:ExceptionText")?.text.isEmpty == false)
            }
        }
        try await engine.shutdown()
    }

    @Test func requestTextIsNeverEchoed() async throws {
        let engine = ServerFixtures.engine()
        let hostile = "%3Cscript%3Ealert(1)%3C%2Fscript%3E"
        try await ServerFixtures.application(engine).test(.router) { client in
            for uri in ["/wmts?SERVICE=\(hostile)&REQUEST=GetTile", "/wmts?SERVICE=WMTS&REQUEST=\(hostile)",
                        Self.getTile + "&LAYER=\(hostile)&TILEMATRIX=3&TILEROW=0&TILECOL=0",
                        Self.getTile + "&LAYER=mini&TILEMATRIX=\(hostile)&TILEROW=0&TILECOL=0",
                        "/wmts/\(hostile)/default/WebMercatorQuad/3/0/0.png"] {
                try await client.execute(uri: uri, method: .get) { response in
                    let body = String(buffer: response.body)
                    #expect(!body.contains("script"), "\(uri)")
                    #expect(XMLTree.parse(Data(buffer: response.body)) != nil)
                }
            }
        }
        try await engine.shutdown()
    }
}
