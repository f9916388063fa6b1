import Foundation
import Testing
import CairnTestSupport

/// The viewer's live updates in a real browser (headless Chromium over the DevTools protocol): after
/// a purge through the admin API, the page re-requests the one shown tile the purge touched, and
/// only that one.
@Suite(.interop, .serialized)
struct ViewerLiveUpdateTests {
    typealias Server = InteropServer

    /// Tile 14/13047/7221 (central Hai Phong) and a box strictly inside it.
    static let tile = (z: 14, x: 13047, y: 7221)
    static let purge = #"{"map": "hp", "zooms": "14-14", "bbox": [106.68, 20.84, 106.69, 20.85], "format": "png"}"#

    static let maplibreInstalled = FileManager.default.fileExists(
        atPath: CommandLineTests.repositoryRoot.appendingPathComponent(".build/web/maplibre/maplibre-gl.js").path)

    /// A server with the admin API, and the viewer's `#z/lat/lon` centred on `tile`.
    struct LiveServer {
        var server: Server
        var adminPort: Int
        var token: String
        var view: String
    }

    func start() async throws -> LiveServer {
        let folder = CommandLineTests.temporary("interop-live")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let token = UUID().uuidString + UUID().uuidString
        try token.write(toFile: folder + "/admin.token", atomically: true, encoding: .utf8)
        let (port, adminPort) = (try Server.freePort(), try Server.freePort())
        let lines = "  - name: hp\n    style: \(Server.fixtures.appendingPathComponent("district-fills.json").path)\n"
        let process = try await startServer(folder: folder, port: port, mapLines: lines,
                                            arguments: ["--admin-port", String(adminPort), "--admin-token-file", folder + "/admin.token"])
        let server = Server(folder: folder, port: port, process: process)
        // The view is centred on the tile, so it and its neighbours are shown.
        let n = Double(1 << Self.tile.z)
        let lon = (Double(Self.tile.x) + 0.5) / n * 360 - 180
        let lat = atan(sinh(.pi * (1 - 2 * (Double(Self.tile.y) + 0.5) / n))) * 180 / .pi
        let view = "#\(Self.tile.z)/\(String(format: "%.5f", lat))/\(String(format: "%.5f", lon))"
        return LiveServer(server: server, adminPort: adminPort, token: token, view: view)
    }

    /// Runs `browserScript`: ready, purge, refreshed; what it printed.
    func purgeInBrowser(_ live: LiveServer, url: String, ready: String, purge: String, refreshed: String) async throws -> [String: Any] {
        let script = live.server.folder + "/live.py"
        try Self.browserScript.write(toFile: script, atomically: true, encoding: .utf8)
        let admin = "http://127.0.0.1:\(live.adminPort)/admin/"
        let printed = try await offPool {
            try live.server.tool(Server.python, [script, "/usr/bin/chromium", live.server.folder + "/chromium", url, ready,
                                                 admin, live.token, purge, refreshed])
        }
        return try #require(try JSONSerialization.jsonObject(with: Data(printed.utf8)) as? [String: Any], "\(printed)")
    }

    static let rasterDrawn = "(function () { var t = document.querySelectorAll('#map img.tile'); return t.length > 0 && Array.prototype.every.call(t, function (i) { return i.complete && i.naturalWidth === 256; }); })()"
    static let eventsOpen = "document.body.getAttribute('data-events') === 'open'"
    static let oneInvalidation = "document.body.getAttribute('data-invalidations') === '1'"

    @Test func aPurgeReloadsOnlyTheShownTileItTouched() async throws {
        let live = try await start()
        defer { live.server.stop() }
        let versioned = "Array.prototype.some.call(document.querySelectorAll('#map img.tile'), function (i) { return i.src.indexOf('?v=') >= 0; })"
        let result = try await purgeInBrowser(live, url: live.server.base + "/maps/hp/" + live.view, ready: Self.rasterDrawn + " && " + Self.eventsOpen, purge: Self.purge,
                                              refreshed: Self.oneInvalidation + " && " + Self.rasterDrawn + " && " + versioned)
        let before = result["before"] as? [String] ?? []
        let after = result["after"] as? [String] ?? []
        #expect(result["ready"] as? Bool == true, "the viewer's tiles and event stream never got ready: \(result)")
        #expect(result["refreshed"] as? Bool == true, "no tile was re-requested after the purge: \(result)")
        #expect(before.count >= 9 && before.count == after.count, "\(before) \(after)")
        let changed = zip(before, after).filter { $0 != $1 }
        let path = "/maps/hp/\(Self.tile.z)/\(Self.tile.x)/\(Self.tile.y).png"
        #expect(changed.count == 1, "changed: \(changed)")
        #expect(changed.first.map { $0.0.hasSuffix(path) && $0.1.contains(path + "?v=") } == true, "changed: \(changed)")
        // The server saw that one request, none for the other tiles.
        #expect(result["responses"] as? Int == 1, "\(result)")
        #expect(result["console"] as? [String] == [], "\(result["console"] ?? "")")
    }

    /// MapLibre GL JS reloads its source, but only the invalidated tile's URL changed, so only that
    /// tile reaches the server (the others come from the browser's cache).
    @Test(.enabled(if: maplibreInstalled, "run scripts/fetch-maplibre"))
    func aPurgeReloadsOnlyTheTouchedVectorTileInMapLibreMode() async throws {
        let live = try await start()
        defer { live.server.stop() }
        // Raster level 14 is MapLibre zoom 13, whose 512 px tiles are level 13: the tile's parent is shown.
        let purge = #"{"map": "hp", "zooms": "13-14", "bbox": [106.68, 20.84, 106.69, 20.85], "format": "pbf"}"#
        let idle = "document.body.getAttribute('data-vector-idle') === 'true'"
        let result = try await purgeInBrowser(live, url: live.server.base + "/maps/hp/?mode=vector" + live.view,
                                              ready: idle + " && " + Self.eventsOpen, purge: purge,
                                              refreshed: Self.oneInvalidation + " && " + idle)
        #expect(result["ready"] as? Bool == true, "MapLibre or the event stream never got ready: \(result)")
        #expect(result["refreshed"] as? Bool == true, "MapLibre did not settle after the purge: \(result)")
        #expect(result["console"] as? [String] == [], "\(result["console"] ?? "")")
        // The purged tile was asked for again (it is back in the cache), and at most it and the
        // TileJSON reached the server: fewer requests than tiles shown.
        let cached = try live.server.tool("/usr/bin/sqlite3", ["-readonly", live.server.folder + "/cache/hp.pbf.mbtiles",
                                                               "SELECT count(*) FROM tiles WHERE zoom_level = 13 AND tile_column = 6523 AND tile_row = \((1 << 13) - 1 - 3610)"])
        #expect(cached.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
        let responses = result["responses"] as? Int ?? -1
        #expect(responses >= 1 && responses <= 2, "\(result)")
        let shown = try live.server.tool("/usr/bin/sqlite3", ["-readonly", live.server.folder + "/cache/hp.pbf.mbtiles", "SELECT count(*) FROM tiles WHERE zoom_level = 13"])
        #expect((Int(shown.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 2)
    }

    func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// Opens `url`, waits until `ready` (JavaScript) holds, purges through the admin API, waits until
    /// `refreshed` holds, and prints the raster tile URLs before and after and how many responses the
    /// public listener gave in between (from `/admin/metrics`). Python standard library only.
    static let browserScript = #"""
import json, os, subprocess, sys, time, urllib.request

chromium, profile, url, ready, admin, token, purge_body, refreshed = sys.argv[1:9]
to_r, to_w = os.pipe()
from_r, from_w = os.pipe()
def wire():
    # Chromium reads commands on fd 3 and writes replies on fd 4.
    high_r, high_w = os.dup(to_r), os.dup(from_w)
    os.dup2(high_r, 3)
    os.dup2(high_w, 4)
proc = subprocess.Popen([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-proxy-server",
                         "--force-device-scale-factor=1", "--remote-debugging-pipe", "--user-data-dir=" + profile,
                         "--window-size=768,768", "about:blank"],
                        preexec_fn=wire, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(to_r); os.close(from_w)
out, inp = os.fdopen(to_w, "wb", buffering=0), os.fdopen(from_r, "rb", buffering=0)
state = {"id": 0, "buffer": b"", "console": []}

def send(method, params=None, session=None):
    state["id"] += 1
    message = {"id": state["id"], "method": method, "params": params or {}}
    if session:
        message["sessionId"] = session
    out.write(json.dumps(message).encode() + b"\0")
    while True:
        while b"\0" not in state["buffer"]:
            chunk = inp.read(65536)
            if not chunk:
                raise SystemExit("chromium closed the pipe")
            state["buffer"] += chunk
        raw, state["buffer"] = state["buffer"].split(b"\0", 1)
        reply = json.loads(raw)
        if reply.get("id") == state["id"]:
            if "error" in reply:
                raise SystemExit(method + ": " + json.dumps(reply["error"]))
            return reply.get("result", {})
        if reply.get("method") == "Runtime.consoleAPICalled" and reply["params"].get("type") in ("error", "warning"):
            state["console"].append(" ".join(str(a.get("value", a.get("description", ""))) for a in reply["params"].get("args", [])))
        elif reply.get("method") == "Runtime.exceptionThrown":
            state["console"].append(reply["params"].get("exceptionDetails", {}).get("text", "exception"))

def evaluate(expression, session):
    return send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session).get("result", {}).get("value")

def wait_for(expression, session, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if evaluate(expression, session) is True:
            return True
        time.sleep(0.1)
    return False

def admin_request(path, body=None):
    request = urllib.request.Request(admin + path, data=body, headers={"Authorization": "Bearer " + token})
    return urllib.request.urlopen(request, timeout=30).read().decode()

def responses():
    return sum(int(float(line.rsplit(" ", 1)[1])) for line in admin_request("metrics").splitlines()
               if line.startswith("cairn_http_responses_total"))

sources = "Array.prototype.map.call(document.querySelectorAll('#map img.tile'), function (i) { return i.src; }).sort()"
result = {}
try:
    target = send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    send("Runtime.enable", session=session)
    send("Page.navigate", {"url": url}, session=session)
    result["ready"] = wait_for(ready, session)
    result["before"] = evaluate(sources, session)
    # Whatever the page does next is caused by the purge: MapLibre reports idle again only after it.
    evaluate("document.body.removeAttribute('data-vector-idle')", session)
    counted = responses()
    result["purge"] = json.loads(admin_request("purge", purge_body.encode()))
    result["refreshed"] = wait_for(refreshed, session, 30)
    result["responses"] = responses() - counted
    result["after"] = evaluate(sources, session)
    result["console"] = state["console"]
finally:
    try:
        send("Browser.close")
    except BaseException:
        pass
    proc.wait(timeout=10)
print(json.dumps(result))
"""#
}
