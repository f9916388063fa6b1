import Foundation
import Testing

/// The viewer's vector mode in a real browser: headless Chromium loads MapLibre GL JS from Cairn,
/// the client style from `/maps/{map}/style.json` and Cairn's `.pbf` tiles, and draws them with
/// WebGL (SwiftShader, on the CPU). Skipped when `scripts/fetch-maplibre` has not been run.
@Suite(.serialized)
struct VectorBrowserTests {
    typealias Server = InteropServer

    static let maplibreInstalled = FileManager.default.fileExists(
        atPath: CommandLineTests.repositoryRoot.appendingPathComponent(".build/web/maplibre/maplibre-gl.js").path)

    /// Chromium with WebGL on SwiftShader (no GPU here) and the page's console on stderr.
    func chromium(_ arguments: [String], server: Server) throws -> String {
        try server.tool("/usr/bin/chromium", [
            "--headless", "--no-sandbox", "--hide-scrollbars", "--no-proxy-server", "--force-device-scale-factor=1",
            "--use-gl=angle", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist",
            "--enable-logging=stderr", "--v=0", "--user-data-dir=\(server.folder)/chromium",
            "--window-size=512,512", "--virtual-time-budget=20000",
        ] + arguments)
    }

    /// What the page logged to the console as errors (Chromium prints `CONSOLE` lines to stderr).
    func consoleErrors(server: Server) -> [String] {
        let log = (try? String(contentsOfFile: server.folder + "/tool-stderr.log", encoding: .utf8)) ?? ""
        return log.split(separator: "\n").map(String.init).filter { line in
            line.contains(":CONSOLE") && (line.contains("Uncaught") || line.contains("Error") || line.contains("error"))
        }
    }

    @Test(.enabled(if: maplibreInstalled, "run scripts/fetch-maplibre"))
    func mapLibreModeLoadsCairnsVectorTiles() async throws {
        let server = try await Server.start(style: "district-fills.json")
        defer { server.stop() }
        let url = server.base + "/maps/hp/?mode=vector#12/20.85000/106.68000"
        // With --dump-dom alone Chromium draws no frames, and MapLibre loads nothing without them.
        let dom = try chromium(["--screenshot=\(server.folder)/vector-loaded.png", "--dump-dom", url], server: server)
        #expect(dom.contains("data-vector=\"loaded\""), "the MapLibre map did not load: \(dom.prefix(600))")
        let errors = dom.range(of: "data-vector-errors=\"").map { String(dom[$0.lowerBound...].prefix(400)) }
        #expect(errors == nil, "\(errors ?? "")")
        #expect(consoleErrors(server: server).isEmpty, "\(consoleErrors(server: server))")
        // The browser asked for vector tiles: they are in the map's .pbf cache now.
        let cached = try server.tool("/usr/bin/sqlite3", ["-readonly", server.folder + "/cache/hp.pbf.mbtiles", "SELECT count(*) FROM tiles WHERE zoom_level = 12"])
        #expect((Int(cached.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0)
    }

    /// MapLibre's drawing of the client style against Cairn's raster of the same view: the dominant
    /// colour of each 32 px block of the map area agrees in most blocks (lines and antialiasing differ).
    @Test(.enabled(if: maplibreInstalled, "run scripts/fetch-maplibre"))
    func mapLibreDrawsWhatCairnRasterises() async throws {
        let server = try await Server.start(style: "district-fills.json")
        defer { server.stop() }
        let view = "#12/20.85000/106.68000"
        let vector = server.folder + "/vector.png", raster = server.folder + "/raster.png"
        _ = try chromium(["--screenshot=\(vector)", server.base + "/maps/hp/?mode=vector" + view], server: server)
        _ = try chromium(["--screenshot=\(raster)", server.base + "/maps/hp/" + view], server: server)
        let result = try server.json(Server.python, ["-c", Self.blockComparison, vector, raster])
        let agreeing = try #require(result["agreeing"] as? Double, "\(result)")
        #expect(agreeing >= 0.8, "dominant colours agree in \(agreeing) of the blocks: \(result)")
    }

    /// Compares two screenshots of the viewer below its 42 px header, in 32 px blocks: the most
    /// frequent colour (quantised to 4 bits per channel) of each block, equal within 2 steps.
    static let blockComparison = #"""
        import json, sys
        import cairo, numpy
        def read(path):
            s = cairo.ImageSurface.create_from_png(path)
            h, stride = s.get_height(), s.get_stride()
            d = numpy.frombuffer(s.get_data(), dtype=numpy.uint8).reshape(h, stride)
            return d[:, : s.get_width() * 4].reshape(h, s.get_width(), 4)[:, :, 2::-1].astype(numpy.int32)
        a, b = read(sys.argv[1]), read(sys.argv[2])
        h, w = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])
        def dominant(block):
            q = (block >> 4).reshape(-1, 3)
            keys = q[:, 0] * 256 + q[:, 1] * 16 + q[:, 2]
            k = numpy.bincount(keys).argmax()
            return numpy.array([k // 256, (k // 16) % 16, k % 16])
        total = agree = 0
        for y in range(64, h - 32 - 16, 32):
            for x in range(64, w - 32, 32):
                total += 1
                if numpy.abs(dominant(a[y:y+32, x:x+32]) - dominant(b[y:y+32, x:x+32])).max() <= 2:
                    agree += 1
        print(json.dumps({"agreeing": agree / max(total, 1), "blocks": total}))
        """#
}
