import Foundation
import Testing
import CairnTestSupport

/// The viewer's vector mode in a real browser: headless Chromium loads MapLibre GL JS from Cairn,
/// the client style from `/maps/{map}/style.json` and Cairn's `.pbf` tiles, and draws them with
/// WebGL (SwiftShader, on the CPU). Skipped when `scripts/fetch-maplibre` has not been run.
@Suite(.interop, .serialized)
struct VectorBrowserTests {
    typealias Server = InteropServer

    static let maplibreInstalled = FileManager.default.fileExists(
        atPath: CommandLineTests.repositoryRoot.appendingPathComponent(".build/web/maplibre/maplibre-gl.js").path)

    /// Opens `url` in headless Chromium (WebGL on SwiftShader: there is no GPU here) driven over the
    /// DevTools protocol, waits in real time (up to 60 s) until `readyWhen` (JavaScript) is true, and
    /// takes a 512 x 512 screenshot. Virtual time (`--virtual-time-budget`) is no use here: MapLibre
    /// works in web workers and animation frames, which it does not wait for.
    func browse(_ url: String, readyWhen: String, screenshot: String, server: Server) async throws -> BrowserRun {
        let script = server.folder + "/cdp.py"
        try Self.devToolsClient.write(toFile: script, atomically: true, encoding: .utf8)
        return try await offPool {
            let result = try server.json(Server.python, [script, "/usr/bin/chromium", server.folder + "/chromium-" + UUID().uuidString,
                                                         url, screenshot, readyWhen])
            return BrowserRun(ready: result["ready"] as? Bool ?? false, vector: result["vector"] as? String,
                              errors: result["errors"] as? String, labels: result["labels"] as? String,
                              console: (result["console"] as? [String] ?? []) + (result["exceptions"] as? [String] ?? []))
        }
    }

    /// Runs blocking work (a browser, a script) on a Dispatch thread: blocking the two-thread
    /// cooperative pool for seconds would starve the in-process servers other tests run.
    func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    struct BrowserRun: Sendable {
        var ready: Bool
        /// The viewer's `data-vector` state: off, loading, loaded, unavailable.
        var vector: String?
        var errors: String?
        /// The viewer's `data-vector-labels`: shown, none, missing (nil before the style loads).
        var labels: String?
        /// Console errors and warnings, Content-Security-Policy violations, and uncaught exceptions.
        var console: [String]
    }

    static let vectorIdle = "document.body.getAttribute('data-vector-idle') === 'true'"
    static let rasterLoaded = "(function () { var t = document.querySelectorAll('#map img.tile'); return t.length > 0 && Array.prototype.every.call(t, function (i) { return i.complete; }); })()"
    static let view = "#12/20.85000/106.68000"

    @Test(.enabled(if: maplibreInstalled, "run scripts/fetch-maplibre"))
    func mapLibreModeLoadsCairnsVectorTiles() async throws {
        let server = try await Server.start(style: "district-fills.json")
        defer { server.stop() }
        let run = try await browse(server.base + "/maps/hp/?mode=vector" + Self.view, readyWhen: Self.vectorIdle,
                             screenshot: server.folder + "/vector.png", server: server)
        #expect(run.ready, "MapLibre never became idle")
        #expect(run.vector == "loaded")
        #expect(run.errors == nil, "\(run.errors ?? "")")
        #expect(run.console.isEmpty, "\(run.console)")
        // The browser asked for vector tiles: they are in the map's .pbf cache now, at level 11 (the
        // raster viewer's level 12 of 256 px tiles is MapLibre zoom 11, whose 512 px tiles are level 11).
        let cached = try server.tool("/usr/bin/sqlite3", ["-readonly", server.folder + "/cache/hp.pbf.mbtiles", "SELECT count(*) FROM tiles WHERE zoom_level = 11"])
        #expect((Int(cached.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0)
    }

    /// An internal map's viewer opened with an API key: raster tiles and MapLibre's style, TileJSON and
    /// `.pbf` requests all carry the page's tile token (the key itself never leaves the page URL).
    @Test(.enabled(if: maplibreInstalled, "run scripts/fetch-maplibre"))
    func internalMapWorksInBothModesWithTheTileToken() async throws {
        let folder = CommandLineTests.temporary("interop-internal")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try (UUID().uuidString + UUID().uuidString).write(toFile: folder + "/signing.secret", atomically: true, encoding: .utf8)
        let created = try runProgram(CommandLineTests.binary, ["keys", "create", "--keys-file", folder + "/keys.yaml", "--maps", "hp"])
        #expect(created.status == 0, "\(created.output)")
        let key = created.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let port = try Server.freePort()
        let lines = "  - name: hp\n    style: \(Server.fixtures.appendingPathComponent("district-fills.json").path)\n    access: internal\n"
        let preamble = "auth:\n  keys_file: \(folder)/keys.yaml\n  signing: {secret_file: \(folder)/signing.secret}\n"
        let process = try await startServer(folder: folder, port: port, mapLines: lines, preamble: preamble)
        let server = Server(folder: folder, port: port, process: process)
        defer { server.stop() }
        #expect(curlStatus(server.base + "/maps/hp/style.json") == 404)
        let vector = try await browse(server.base + "/maps/hp/?key=\(key)&mode=vector" + Self.view, readyWhen: Self.vectorIdle,
                                      screenshot: folder + "/vector.png", server: server)
        #expect(vector.ready, "MapLibre never became idle")
        #expect(vector.vector == "loaded")
        #expect(vector.errors == nil, "\(vector.errors ?? "")")
        #expect(vector.console.isEmpty, "\(vector.console)")
        let cached = try server.tool("/usr/bin/sqlite3", ["-readonly", folder + "/cache/hp.pbf.mbtiles", "SELECT count(*) FROM tiles WHERE zoom_level = 11"])
        #expect((Int(cached.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0)
        let rasterDrawn = "(function () { var t = document.querySelectorAll('#map img.tile'); return t.length > 0 && Array.prototype.every.call(t, function (i) { return i.complete && i.naturalWidth === 256; }); })()"
        let raster = try await browse(server.base + "/maps/hp/?key=\(key)" + Self.view, readyWhen: rasterDrawn,
                                      screenshot: folder + "/raster.png", server: server)
        #expect(raster.ready, "raster tiles of the internal map did not load")
        #expect(raster.console.isEmpty, "\(raster.console)")
    }

    /// MapLibre's drawing of the client style against Cairn's raster of the same view: the dominant
    /// colour of each 32 px block of the map area agrees in most blocks (lines and antialiasing differ).
    @Test(.enabled(if: maplibreInstalled, "run scripts/fetch-maplibre"))
    func mapLibreDrawsWhatCairnRasterises() async throws {
        let server = try await Server.start(style: "district-fills.json")
        defer { server.stop() }
        let vector = server.folder + "/vector.png", raster = server.folder + "/raster.png"
        let vectorRun = try await browse(server.base + "/maps/hp/?mode=vector" + Self.view, readyWhen: Self.vectorIdle, screenshot: vector, server: server)
        let rasterRun = try await browse(server.base + "/maps/hp/" + Self.view, readyWhen: Self.rasterLoaded, screenshot: raster, server: server)
        #expect(vectorRun.ready && rasterRun.ready)
        // Both modes run under the strict policy (no inline code): no violation, no error.
        #expect(vectorRun.console.isEmpty && rasterRun.console.isEmpty, "\(vectorRun.console) \(rasterRun.console)")
        let agreeing = try await offPool { try server.json(Server.python, ["-c", Self.blockComparison, vector, raster])["agreeing"] as? Double }
        #expect((agreeing ?? 0) >= 0.8, "dominant colours agree in \(agreeing ?? -1) of the 32 px blocks")
        // The comparison tells views apart: the raster of another place does not agree.
        let elsewhere = server.folder + "/elsewhere.png"
        _ = try await browse(server.base + "/maps/hp/#12/20.70000/106.55000", readyWhen: Self.rasterLoaded, screenshot: elsewhere, server: server)
        let other = try await offPool { try server.json(Server.python, ["-c", Self.blockComparison, vector, elsewhere])["agreeing"] as? Double }
        #expect((other ?? 1) < 0.6, "another place agrees in \(other ?? -1) of the blocks")
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

    /// A minimal Chrome DevTools protocol client over `--remote-debugging-pipe` (Python standard library only).
    static let devToolsClient = #"""
import base64, json, os, subprocess, sys, time

def main():
    chromium, profile, url, shot, wait_for = sys.argv[1:6]
    to_chrome_r, to_chrome_w = os.pipe()
    from_chrome_r, from_chrome_w = os.pipe()
    def wire():
        # Chromium reads commands on fd 3 and writes replies on fd 4 (inheritable copies).
        high_r, high_w = os.dup(to_chrome_r), os.dup(from_chrome_w)
        os.dup2(high_r, 3)
        os.dup2(high_w, 4)
    flags = ["--headless", "--no-sandbox", "--hide-scrollbars", "--no-proxy-server", "--force-device-scale-factor=1",
             "--use-gl=angle", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist",
             "--remote-debugging-pipe", "--user-data-dir=" + profile, "--window-size=512,512", "about:blank"]
    proc = subprocess.Popen([chromium] + flags, preexec_fn=wire, close_fds=False,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(to_chrome_r); os.close(from_chrome_w)
    out = os.fdopen(to_chrome_w, "wb", buffering=0)
    inp = os.fdopen(from_chrome_r, "rb", buffering=0)
    buffer = b""
    state = {"id": 0, "console": [], "exceptions": []}
    def read_message():
        nonlocal buffer
        while b"\0" not in buffer:
            chunk = inp.read(65536)
            if not chunk:
                raise SystemExit("chromium closed the pipe")
            buffer += chunk
        message, buffer = buffer.split(b"\0", 1)
        return json.loads(message)
    def send(method, params=None, session=None):
        state["id"] += 1
        message = {"id": state["id"], "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        out.write(json.dumps(message).encode() + b"\0")
        while True:
            reply = read_message()
            if reply.get("id") == state["id"]:
                if "error" in reply:
                    raise SystemExit(method + ": " + json.dumps(reply["error"]))
                return reply.get("result", {})
            method_name = reply.get("method")
            if method_name == "Runtime.consoleAPICalled" and reply["params"].get("type") in ("error", "warning", "assert"):
                state["console"].append(" ".join(str(a.get("value", a.get("description", ""))) for a in reply["params"].get("args", [])))
            elif method_name == "Log.entryAdded" and "Content Security Policy" in reply["params"].get("entry", {}).get("text", ""):
                state["console"].append("CSP: " + reply["params"]["entry"]["text"])
            elif method_name == "Runtime.exceptionThrown":
                details = reply["params"].get("exceptionDetails", {})
                state["exceptions"].append(details.get("exception", {}).get("description", details.get("text", "")))
    try:
        target = send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        send("Runtime.enable", session=session)
        send("Log.enable", session=session)
        send("Page.enable", session=session)
        send("Emulation.setDeviceMetricsOverride", {"width": 512, "height": 512, "deviceScaleFactor": 1, "mobile": False}, session=session)
        send("Page.navigate", {"url": url}, session=session)
        deadline = time.time() + 60
        ready = False
        while time.time() < deadline:
            value = send("Runtime.evaluate", {"expression": wait_for, "returnByValue": True}, session=session)
            if value.get("result", {}).get("value") is True:
                ready = True
                break
            time.sleep(0.25)
        time.sleep(0.5)
        body = send("Runtime.evaluate", {"expression": "JSON.stringify({vector: document.body.getAttribute('data-vector'), errors: document.body.getAttribute('data-vector-errors'), labels: document.body.getAttribute('data-vector-labels')})", "returnByValue": True}, session=session)
        picture = send("Page.captureScreenshot", {"format": "png"}, session=session)
        with open(shot, "wb") as f:
            f.write(base64.b64decode(picture["data"]))
        page = json.loads(body["result"]["value"])
        print(json.dumps({"ready": ready, "vector": page["vector"], "errors": page["errors"], "labels": page["labels"],
                          "console": state["console"], "exceptions": state["exceptions"]}))
    finally:
        try:
            send("Browser.close")
        except BaseException:
            pass
        proc.wait(timeout=10)

main()
"""#
}
