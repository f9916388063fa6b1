import Foundation
import Testing
import CairnTestSupport

/// MapLibre GL JS in headless Chromium on Cairn's client style of the demo (vector tiles, Cairn's
/// glyph ranges from `/fonts/…`, and the style's sprite when it has one), against Cairn's own
/// raster of the same view: labels show in MapLibre, and the two views agree block by block.
/// Skipped when `scripts/fetch-maplibre` has not been run.
@Suite(.interop, .serialized)
struct GlyphBrowserTests {
    typealias Server = InteropServer

    /// Central Hải Phòng at raster level 14 (MapLibre zoom 13): the city and ward labels, streets.
    static let view = (z: 14, lat: 20.8560, lon: 106.6850)
    static let demoStyle = CommandLineTests.repositoryRoot.appendingPathComponent("styles/hai-phong.json")
    /// Where the last run's images are kept for a look (the test's own folder is temporary).
    static let artifacts = CommandLineTests.repositoryRoot.appendingPathComponent(".build/interop-artifacts/browser").path

    /// A page that only draws the map: 512 x 512 CSS px at device pixel ratio 1, no controls, no fades.
    static func page(base: String) -> String {
        """
        <!doctype html><html><head><meta charset="utf-8">
        <link rel="stylesheet" href="\(base)/assets/maplibre-gl.css">
        <script src="\(base)/assets/maplibre-gl.js"></script>
        <style>html, body { margin: 0; overflow: hidden; } #map { width: 512px; height: 512px; }</style></head>
        <body><div id="map"></div><script>
        var q = new URLSearchParams(location.search), errors = [];
        var map = new maplibregl.Map({ container: "map", style: "\(base)/maps/" + q.get("map") + "/style.json",
          center: [+q.get("lon"), +q.get("lat")], zoom: +q.get("zoom"), interactive: false,
          attributionControl: false, fadeDuration: 0, pixelRatio: 1 });
        map.on("error", function (e) {
          errors.push(e && e.error && e.error.message ? e.error.message : "map error");
          document.body.setAttribute("data-vector-errors", errors.join(" | "));
        });
        map.on("load", function () { document.body.setAttribute("data-vector", "loaded"); });
        map.on("idle", function () { if (map.areTilesLoaded()) { document.body.setAttribute("data-idle", "true"); } });
        </script></body></html>
        """
    }

    /// OSM Liberty over the Liechtenstein OpenMapTiles tiles, with its sprite: Vaduz at raster level 16,
    /// POI icons and their names.
    static let libertyStyle = CommandLineTests.repositoryRoot.appendingPathComponent("styles/osm-liberty/style.json")
    static let libertyView = (z: 16, lat: 47.1393, lon: 9.5224)

    /// `style` without its symbol layers (labels and icons), its sources and sprite made absolute so
    /// the copy reads the repository's data: the "bare" views tell label and icon ink apart.
    static func bareStyle(of styleURL: URL = demoStyle, to path: String) throws {
        let data = try Data(contentsOf: styleURL)
        var style = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let folder = styleURL.deletingLastPathComponent()
        func absolute(_ url: String) -> String {
            if url.hasPrefix("mbtiles://"), !url.hasPrefix("mbtiles:///") {
                return "mbtiles://" + folder.appendingPathComponent(String(url.dropFirst("mbtiles://".count))).standardized.path
            }
            return url.hasPrefix("/") || url.contains("://") ? url : folder.appendingPathComponent(url).standardized.path
        }
        var sources = try #require(style["sources"] as? [String: [String: Any]])
        for (name, var source) in sources {
            if let url = source["url"] as? String { source["url"] = absolute(url) }
            if let data = source["data"] as? String { source["data"] = absolute(data) }
            sources[name] = source
        }
        style["sources"] = sources
        if let sprite = style["sprite"] as? String { style["sprite"] = absolute(sprite) }
        let layers = try #require(style["layers"] as? [[String: Any]])
        style["layers"] = layers.filter { $0["type"] as? String != "symbol" }
        try JSONSerialization.data(withJSONObject: style).write(to: URL(fileURLWithPath: path))
    }

    /// MapLibre's and Cairn's views of `style` (and of its bare copy) at `view`, compared by `views.py`;
    /// the images are kept in `artifacts/<name>`.
    static func compareWithMapLibre(style: URL, view: (z: Int, lat: Double, lon: Double), name: String) async throws -> [String: Any] {
        let folder = CommandLineTests.temporary("interop-\(name)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Self.bareStyle(of: style, to: folder + "/bare.json")
        let port = try Server.freePort()
        let lines = "  - name: hp\n    style: \(style.path)\n  - name: hp-bare\n    style: \(folder)/bare.json\n"
        let process = try await startServer(folder: folder, port: port, mapLines: lines)
        let server = Server(folder: folder, port: port, process: process)
        defer { server.stop() }
        try Self.page(base: server.base).write(toFile: folder + "/maplibre.html", atomically: true, encoding: .utf8)

        let browser = VectorBrowserTests()
        var shots: [String: String] = [:]
        for map in ["hp", "hp-bare"] {
            let url = "file://\(folder)/maplibre.html?map=\(map)&lat=\(view.lat)&lon=\(view.lon)&zoom=\(view.z - 1)"
            let shot = folder + "/maplibre-\(map).png"
            let run = try await browser.browse(url, readyWhen: "document.body.getAttribute('data-idle') === 'true'", screenshot: shot, server: server)
            #expect(run.ready, "MapLibre never became idle on \(map)")
            #expect(run.vector == "loaded")
            #expect(run.errors == nil, "\(run.errors ?? "")")
            #expect(run.console.isEmpty, "\(run.console)")
            shots[map] = shot
            let raster = folder + "/raster-\(map).png"
            _ = try await browser.offPool {
                try server.tool(Server.python, [Server.fixtures.appendingPathComponent("views.py").path, "stitch", server.base, map,
                                                String(view.z), String(view.lat), String(view.lon), "512", raster])
            }
            shots["raster-" + map] = raster
        }
        let images = [shots["hp"]!, shots["hp-bare"]!, shots["raster-hp"]!, shots["raster-hp-bare"]!]
        let output = try await browser.offPool {
            try server.tool(Server.python, [Server.fixtures.appendingPathComponent("views.py").path, "compare"] + images + [folder])
        }
        let result = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "\(output)")
        let kept = Self.artifacts + "/" + name
        try? FileManager.default.removeItem(atPath: kept)
        try FileManager.default.createDirectory(atPath: kept, withIntermediateDirectories: true)
        for file in ["maplibre-hp.png", "raster-hp.png", "diff.png", "labels.png"] {
            try FileManager.default.copyItem(atPath: folder + "/" + file, toPath: kept + "/" + file)
        }
        try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]).write(to: URL(fileURLWithPath: kept + "/result.json"))
        return result
    }

    /// MapLibre and Cairn show about the same symbols (labels, icons) in about the same places, and
    /// the views agree block by block.
    static func expectAgreement(_ result: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) {
        let mapLibreSymbols = result["labelBlocksMapLibre"] as? Int ?? 0
        let cairnSymbols = result["labelBlocksCairn"] as? Int ?? 0
        let both = result["labelBlocksBoth"] as? Int ?? 0
        // Symbols show in MapLibre: its glyphs and icons came from Cairn (the styles name no others).
        #expect(mapLibreSymbols >= 10, "\(result)", sourceLocation: sourceLocation)
        #expect(cairnSymbols >= 10, "\(result)", sourceLocation: sourceLocation)
        // About as much ink at the same size: within a factor of 2 (measured 0.8 for labels, 1.3 for icons).
        let inkRatio = Double(result["labelInkMapLibre"] as? Int ?? 0) / Double(max(1, result["labelInkCairn"] as? Int ?? 0))
        #expect(inkRatio > 0.5 && inkRatio < 2, "\(result)", sourceLocation: sourceLocation)
        // Where the symbols are: the two placements differ in detail (collision boxes, positions along
        // lines), so not every block matches; measured 50–57 % of the smaller side's symbol blocks have
        // symbol ink on the other side too, and 40 % is asked.
        #expect(Double(both) >= 0.4 * Double(min(mapLibreSymbols, cairnSymbols)), "\(result)", sourceLocation: sourceLocation)
        // The colours agree block by block, symbols included: measured 96–97 % of the blocks within 16
        // of 255 and a mean difference of 3.5–4.4 (antialiasing and symbols move block means a little).
        #expect((result["agreeing"] as? Double ?? 0) >= 0.9, "\(result)", sourceLocation: sourceLocation)
        #expect((result["meanDifference"] as? Double ?? 255) <= 8, "\(result)", sourceLocation: sourceLocation)
    }

    @Test(.enabled(if: VectorBrowserTests.maplibreInstalled, "run scripts/fetch-maplibre"))
    func mapLibreShowsCairnsLabelsWhereCairnsRasterDoes() async throws {
        Self.expectAgreement(try await Self.compareWithMapLibre(style: Self.demoStyle, view: Self.view, name: "labels"))
    }

    /// OSM Liberty in MapLibre with Cairn's copy of its sprite and Cairn's glyphs: icons and names show,
    /// where Cairn's raster of the same view puts them.
    @Test(.enabled(if: VectorBrowserTests.maplibreInstalled, "run scripts/fetch-maplibre"))
    func mapLibreShowsCairnsIconsWhereCairnsRasterDoes() async throws {
        Self.expectAgreement(try await Self.compareWithMapLibre(style: Self.libertyStyle, view: Self.libertyView, name: "icons"))
    }

    /// The viewer's vector mode on the demo says labels are shown (and shows no error).
    @Test(.enabled(if: VectorBrowserTests.maplibreInstalled, "run scripts/fetch-maplibre"))
    func viewerVectorModeShowsLabels() async throws {
        let folder = CommandLineTests.temporary("interop-viewer-labels")
        let port = try Server.freePort()
        let process = try await startServer(folder: folder, port: port, mapLines: "  - name: hp\n    style: \(Self.demoStyle.path)\n")
        let server = Server(folder: folder, port: port, process: process)
        defer { server.stop() }
        let run = try await VectorBrowserTests().browse(server.base + "/maps/hp/?mode=vector#\(Self.view.z)/\(Self.view.lat)/\(Self.view.lon)",
                                                        readyWhen: VectorBrowserTests.vectorIdle, screenshot: folder + "/viewer.png", server: server)
        #expect(run.ready && run.vector == "loaded")
        #expect(run.labels == "shown")
        #expect(run.errors == nil, "\(run.errors ?? "")")
        #expect(run.console.isEmpty, "\(run.console)")
    }
}
