@testable import CairnConfiguration
import CairnCore
import CairnEngine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import CairnServer

/// GetCapabilities, KVP and RESTful.
struct WMTSCapabilitiesTests {
    static let requests = [
        "/wmts?SERVICE=WMTS&REQUEST=GetCapabilities",
        "/wmts?service=WMTS&request=GetCapabilities&acceptversions=1.0.0",
        "/wmts?Service=WMTS&Request=GetCapabilities&Version=1.0.0",
        "/wmts/1.0.0/WMTSCapabilities.xml",
    ]

    @Test(arguments: requests)
    func capabilitiesDescribeTheMap(uri: String) async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/xml; charset=utf-8")
                let root = try #require(XMLTree.parse(Data(buffer: response.body)))
                #expect(root.name == "Capabilities")
                #expect(root.attributes["version"] == "1.0.0")
                #expect(root.attributes["xmlns"] == "http://www.opengis.net/wmts/1.0")
                #expect(root.attributes["xmlns:ows"] == "http://www.opengis.net/ows/1.1")
                #expect(root.children.map(\.name) == ["ows:ServiceIdentification", "ows:OperationsMetadata", "Contents", "ServiceMetadataURL"])

                let service = try #require(root.child("ows:ServiceIdentification"))
                #expect(service.value("ows:Title") == "Cairn")
                #expect(service.value("ows:ServiceType") == "OGC WMTS")
                #expect(service.value("ows:ServiceTypeVersion") == "1.0.0")

                let operations = root.descendants("ows:Operation").map { $0.attributes["name"] }
                #expect(operations == ["GetCapabilities", "GetTile"])
                let encodings = root.descendants("ows:Get").map { $0.descendants("ows:Value").first?.text }
                #expect(encodings == ["KVP", "RESTful", "KVP", "RESTful"])
                #expect(root.descendants("ows:Get").allSatisfy { $0.attributes["xlink:href"]?.hasPrefix("http://") == true })

                let contents = try #require(root.child("Contents"))
                let layer = try #require(contents.child("Layer"))
                #expect(layer.children.map(\.name) == ["ows:Title", "ows:WGS84BoundingBox", "ows:Identifier", "Style", "Format",
                                                       "TileMatrixSetLink", "ResourceURL"])
                #expect(layer.value("ows:Identifier") == "mini")
                #expect(layer.value("ows:Title") == "Mini <Hải Phòng>")
                #expect(layer.value("Format") == "image/png")
                #expect(layer.child("Style")?.attributes["isDefault"] == "true")
                #expect(layer.child("Style")?.value("ows:Identifier") == "default")
                let lower = try #require(layer.child("ows:WGS84BoundingBox")?.value("ows:LowerCorner"))
                let corner = lower.split(separator: " ").compactMap { Double($0) }
                #expect(corner.count == 2 && corner[0] > 100 && corner[0] < 110 && corner[1] > 18 && corner[1] < 23)
                let link = try #require(layer.child("TileMatrixSetLink"))
                #expect(link.value("TileMatrixSet") == "WebMercatorQuad")
                // The map starts at level 0, whose only tile is row 0 and column 0: the WMTS 1.0.0
                // schema (positiveInteger limits) cannot express that, so no limits are written.
                #expect(link.descendants("TileMatrixLimits").isEmpty)
                let resource = try #require(layer.child("ResourceURL"))
                #expect(resource.attributes["resourceType"] == "tile")
                #expect(resource.attributes["format"] == "image/png")
                #expect(resource.attributes["template"]?.hasSuffix("/wmts/mini/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.png") == true)

                let sets = contents.children("TileMatrixSet")
                #expect(sets.map { $0.value("ows:Identifier") } == ["WebMercatorQuad"])
                let set = try #require(sets.first)
                #expect(set.value("ows:SupportedCRS") == "urn:ogc:def:crs:EPSG::3857")
                #expect(set.value("WellKnownScaleSet") == "urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible")
                let matrices = set.children("TileMatrix")
                #expect(matrices.count == 25)
                let zero = try #require(matrices.first)
                #expect(zero.children.map(\.name) == ["ows:Identifier", "ScaleDenominator", "TopLeftCorner", "TileWidth", "TileHeight",
                                                      "MatrixWidth", "MatrixHeight"])
                #expect(zero.value("ows:Identifier") == "0")
                #expect(zero.value("ScaleDenominator") == "559082264.0287178")
                #expect(zero.value("TopLeftCorner") == "-20037508.342789244 20037508.342789244")
                #expect(zero.value("TileWidth") == "256" && zero.value("TileHeight") == "256")
                #expect(zero.value("MatrixWidth") == "1" && zero.value("MatrixHeight") == "1")
                let fourteen = matrices[14]
                #expect(fourteen.value("ows:Identifier") == "14")
                #expect(Double(fourteen.value("ScaleDenominator") ?? "") == 559082264.0287178 / 16384)
                #expect(fourteen.value("MatrixWidth") == "16384" && fourteen.value("MatrixHeight") == "16384")
            }
        }
        try await engine.shutdown()
    }

    @Test func titlesAreEscaped() async throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-wmts-\(UUID().uuidString)").path
        let hostile = "<script>alert('x')</script> & \"quoted\"\u{1}"
        let configuration = CairnConfiguration(cacheDirectory: cache, maps: [
            MapConfiguration(name: "mini", stylePath: ServerFixtures.miniStyle, title: hostile),
        ])
        var logger = Logger(label: "cairn-test")
        logger.logLevel = .error
        let engine = TileEngine(configuration: configuration, logger: logger, renderThreads: 1)
        try await ServerFixtures.application(engine).test(.router) { client in
            try await client.execute(uri: "/wmts/1.0.0/WMTSCapabilities.xml", method: .get) { response in
                let body = String(buffer: response.body)
                #expect(!body.contains("<script>"))
                #expect(body.contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;quoted&quot;"))
                let root = try #require(XMLTree.parse(Data(buffer: response.body)))
                #expect(root.descendants("Layer").first?.value("ows:Title") == "<script>alert('x')</script> & \"quoted\"")
            }
        }
        try await engine.shutdown()
    }

    @Test func geographicTileMatrixSetsListLatitudeFirst() {
        let document = WMTSCapabilitiesDocument(baseURL: "http://example", layers: [
            .init(name: "m", title: "M", bounds: BoundingBox(minX: 106, minY: 20, maxX: 107, maxY: 21),
                  offers: [TileGrid.worldCRS84Quad, .vn2000HaiPhong].map {
                      WMTSGridOffer(grid: $0, levels: 0...2, dataExtent: nil)
                  }),
        ]).render()
        let root = XMLTree.parse(Data(document.utf8))
        let sets = root?.descendants("TileMatrixSet").filter { !$0.children.isEmpty } ?? []
        #expect(sets.map { $0.value("ows:Identifier") } == ["WorldCRS84Quad", "VN2000HaiPhong"])
        #expect(sets.first?.value("ows:SupportedCRS") == "urn:ogc:def:crs:EPSG::4326")
        #expect(sets.first?.child("TileMatrix")?.value("TopLeftCorner") == "90 -180")
        #expect(sets.first?.child("TileMatrix")?.value("MatrixWidth") == "2")
        #expect(sets.first?.child("TileMatrix")?.value("MatrixHeight") == "1")
        #expect(sets.first?.child("WellKnownScaleSet") == nil)
        #expect(sets.last?.value("ows:SupportedCRS") == "urn:ogc:def:crs:EPSG::9210")
        #expect(sets.last?.child("TileMatrix")?.value("TopLeftCorner") == "550000 2340000")
    }
}
