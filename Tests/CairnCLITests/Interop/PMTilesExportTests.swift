import CairnTestSupport
import Foundation
import Testing

/// `cairn export` read by others: the Protomaps reference reader (PyPI `pmtiles`, pinned in
/// `.build/pmtiles-python` by scripts/install-deps) finds every tile byte for byte as a separate
/// `cairn serve` serves it, and MapLibre GL JS with the PMTiles protocol in headless Chromium
/// draws the archives from a static nginx with no tile server.
@Suite(.interop, .serialized)
struct PMTilesExportTests {
    typealias Server = InteropServer

    static let readerPython = CommandLineTests.repositoryRoot.appendingPathComponent(".build/pmtiles-python/bin/python").path
    static let readerInstalled = FileManager.default.isExecutableFile(atPath: readerPython)
    static let pywidget = CommandLineTests.repositoryRoot.appendingPathComponent(".build/web/maplibre/pywidget.js").path
    static let pywidgetInstalled = FileManager.default.fileExists(atPath: pywidget)
    static let nginx = "/usr/sbin/nginx"

    /// Central Hải Phòng.
    static let bbox = "106.55,20.74,106.82,20.96"
    /// Around the 512 px views of the browser test at z12: the districts' northern edge.
    static let viewBox = "106.50,20.86,106.86,21.14"

    /// A configuration beside the server's with the same map and a cache of its own, so the
    /// export renders its tiles itself rather than reading the server's.
    static func exportConfiguration(_ server: Server) throws -> String {
        let path = server.folder + "/export.yaml"
        let text = "cache: {directory: \(server.folder)/export-cache}\nmaps:\n  - name: hp\n    style: \(Server.fixtures.appendingPathComponent("district-fills.json").path)\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Tiles `cairn seed --dry-run` counts for the same map, zooms and area.
    static func plannedTiles(config: String, zoom: String, format: String) throws -> Int {
        let run = try CairnProcess.cairn(["seed", "--config", config, "--map", "hp", "--zoom", zoom, "--bbox", bbox, "--format", format, "--dry-run"])
        let row = run.lines.first { $0.hasPrefix("all") }?.split(separator: " ")
        return row.flatMap { Int($0[1]) } ?? -1
    }

    static func export(config: String, zoom: String, format: String, bbox: String = bbox, to path: String) throws -> CairnProcess.Run {
        try CairnProcess.cairn(["export", "--config", config, "--map", "hp", "--zoom", zoom, "--bbox", bbox, "--format", format,
                                "-o", path, "--progress", "none"])
    }

    @Test(.enabled(if: readerInstalled, "run scripts/install-deps (it makes .build/pmtiles-python)"), arguments: ["png", "pbf"])
    func theReferenceReaderFindsEveryServedTile(format: String) async throws {
        let server = try await Server.start(style: "district-fills.json")
        defer { server.stop() }
        let config = try Self.exportConfiguration(server)
        let archive = server.folder + "/hp-\(format).pmtiles"
        let run = try Self.export(config: config, zoom: "8-13", format: format, to: archive)
        #expect(run.status == 0, "\(run.output)")
        let planned = try Self.plannedTiles(config: config, zoom: "8-13", format: format)
        #expect(run.output.contains("exported \(planned) tiles (z8-13) to \(archive)"), "\(run.output)")

        let script = server.folder + "/read_pmtiles.py"
        try Self.readerScript.write(toFile: script, atomically: true, encoding: .utf8)
        let result = try server.json(Self.readerPython, [script, archive, server.base + "/maps/hp", format])
        let header = result["header"] as? [String: Any] ?? [:]
        #expect(result["tiles"] as? Int == planned)
        #expect(result["mismatches"] as? [String] == [], "tiles differing from the server's: \(result["mismatches"] ?? "")")
        #expect(result["lookup"] as? Bool == true)
        #expect(header["tile_type"] as? Int == (format == "png" ? 2 : 1))
        #expect(header["tile_compression"] as? Int == (format == "png" ? 1 : 2))
        #expect(header["internal_compression"] as? Int == 2)
        #expect(header["clustered"] as? Bool == true)
        #expect(header["min_zoom"] as? Int == 8 && header["max_zoom"] as? Int == 13)
        #expect(header["addressed_tiles_count"] as? Int == planned)
        let contents = header["tile_contents_count"] as? Int ?? 0, entries = header["tile_entries_count"] as? Int ?? 0
        #expect(contents > 0 && contents <= entries && entries <= planned)
        // The bounds hold the area; the centre is inside them.
        let west = Double(header["min_lon_e7"] as? Int ?? 0) / 1e7, east = Double(header["max_lon_e7"] as? Int ?? 0) / 1e7
        let south = Double(header["min_lat_e7"] as? Int ?? 0) / 1e7, north = Double(header["max_lat_e7"] as? Int ?? 0) / 1e7
        #expect(west <= 106.55 && east >= 106.82 && south <= 20.74 && north >= 20.96 && east - west < 0.5)
        let centerLongitude = Double(header["center_lon_e7"] as? Int ?? 0) / 1e7
        #expect(west <= centerLongitude && centerLongitude <= east)
        let metadata = result["metadata"] as? [String: Any] ?? [:]
        #expect(metadata["name"] as? String == "hp")
        #expect(metadata["format"] as? String == format)
        if format == "pbf" {
            let layers = metadata["vector_layers"] as? [[String: Any]] ?? []
            #expect(layers.contains { $0["id"] as? String == "districts" }, "\(metadata)")
        }
    }

    /// Raster: MapLibre draws the archive as it draws the server's tiles (same view, same
    /// MapLibre, pixel for pixel within antialiasing), and a view elsewhere does not match.
    /// Vector: the districts are drawn where Cairn's raster has them.
    @Test(.enabled(if: readerInstalled && pywidgetInstalled && FileManager.default.isExecutableFile(atPath: nginx),
                   "run scripts/install-deps (nginx, Chromium, fetch-maplibre's pywidget.js)"))
    func mapLibreDrawsTheArchivesFromAStaticServer() async throws {
        let server = try await Server.start(style: "district-fills.json")
        defer { server.stop() }
        let config = try Self.exportConfiguration(server)
        let site = server.folder + "/site"
        try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
        for format in ["png", "pbf"] {
            let run = try Self.export(config: config, zoom: "11-13", format: format, bbox: Self.viewBox, to: site + "/hp-\(format).pmtiles")
            #expect(run.status == 0, "\(run.output)")
        }
        try FileManager.default.copyItem(atPath: Self.pywidget, toPath: site + "/pywidget.js")
        try Self.page(source: #"{"type": "raster", "url": "pmtiles://" + location.origin + "/hp-png.pmtiles", "tileSize": 256}"#, vector: false)
            .write(toFile: site + "/archive.html", atomically: true, encoding: .utf8)
        try Self.page(source: #"{"type": "raster", "tiles": [location.origin + "/maps/hp/{z}/{x}/{y}.png"], "tileSize": 256}"#, vector: false)
            .write(toFile: site + "/server.html", atomically: true, encoding: .utf8)
        try Self.page(source: #"{"type": "vector", "url": "pmtiles://" + location.origin + "/hp-pbf.pmtiles"}"#, vector: true)
            .write(toFile: site + "/vector.html", atomically: true, encoding: .utf8)
        let nginx = try StaticSite.start(nginx: Self.nginx, root: site, upstream: server.port, folder: server.folder + "/nginx")
        defer { nginx.stop() }
        // The archive is fetched in ranges, as from object storage.
        let range = try runProgram("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-r", "0-126", nginx.base + "/hp-png.pmtiles"])
        #expect(range.output == "206")

        let browser = VectorBrowserTests()
        let idle = "document.body.getAttribute('data-vector') === 'loaded'"
        let view = "#106.68,21.00"
        var shots: [String: String] = [:]
        for (name, page, hash) in [("archive", "archive.html", view), ("server", "server.html", view), ("vector", "vector.html", view),
                                   ("elsewhere", "archive.html", "#106.62,20.96")] {
            let shot = server.folder + "/\(name).png"
            let run = try await browser.browse(nginx.base + "/" + page + hash, readyWhen: idle, screenshot: shot, server: server)
            #expect(run.ready, "\(name): MapLibre never became idle")
            #expect(run.errors == nil, "\(name): \(run.errors ?? "")")
            #expect(run.console.isEmpty, "\(name): \(run.console)")
            shots[name] = shot
        }
        let compare = server.folder + "/compare.py"
        try Self.comparison.write(toFile: compare, atomically: true, encoding: .utf8)
        let same = try server.json(Server.python, [compare, "pixels", shots["archive"]!, shots["server"]!])
        #expect((same["differing"] as? Double ?? 1) < 0.01, "archive and server views differ: \(same)")
        let other = try server.json(Server.python, [compare, "pixels", shots["elsewhere"]!, shots["server"]!])
        #expect((other["differing"] as? Double ?? 0) > 0.2, "another place looks the same: \(other)")
        let drawn = try server.json(Server.python, [compare, "districts", shots["vector"]!, shots["server"]!])
        #expect((drawn["district_fraction"] as? Double ?? 0) > 0.2, "\(drawn)")
        #expect((drawn["agreeing"] as? Double ?? 0) >= 0.9, "vector districts and Cairn's raster disagree: \(drawn)")
        // The view has districts and what lies beyond them: the agreement says something.
        let land = drawn["land_blocks"] as? Int ?? 0, blocks = drawn["blocks"] as? Int ?? 0
        #expect(land > blocks / 5 && land < blocks * 4 / 5, "\(drawn)")
    }

    /// A 512 px page drawing one source with MapLibre and the PMTiles protocol of pywidget.js;
    /// `data-vector` becomes "loaded" at the map's first `idle`, errors land in `data-vector-errors`.
    static func page(source: String, vector: Bool) -> String {
        let layers = vector
            ? ##"[{"id": "background", "type": "background", "paint": {"background-color": "#ffffff"}}, {"id": "districts", "type": "fill", "source": "hp", "source-layer": "districts", "paint": {"fill-color": "#e00000", "fill-antialias": false}}]"##
            : #"[{"id": "tiles", "type": "raster", "source": "hp", "paint": {"raster-fade-duration": 0}}]"#
        return """
            <!doctype html>
            <html><head><meta charset="utf-8"><style>html, body { margin: 0; } #pymaplibregl { width: 512px; height: 512px; }</style>
            <script src="pywidget.js"></script></head>
            <body><div id="pymaplibregl"></div>
            <script>
            var center = location.hash.slice(1).split(",").map(Number);
            pymaplibregl({
              mapOptions: {style: {version: 8, sources: {hp: \(source)}, layers: \(layers)}, center: center, zoom: 12,
                           fadeDuration: 0, attributionControl: false},
              calls: [
                ["once", ["idle", function () { document.body.setAttribute("data-vector", "loaded"); }]],
                ["on", ["error", function (e) {
                  var text = (document.body.getAttribute("data-vector-errors") || "") + String(e && e.error && e.error.message || e) + "; ";
                  document.body.setAttribute("data-vector-errors", text);
                }]]
              ]
            });
            </script></body></html>
            """
    }

    /// Reads an archive with the reference reader: its header and metadata, every tile compared
    /// with the server's (raw bytes: gzip vector tiles asked for as gzip), and one lookup by z/x/y.
    static let readerScript = #"""
        import json, sys, time, urllib.error, urllib.request
        from pmtiles.reader import Reader, MmapSource, all_tiles
        path, base, extension = sys.argv[1:4]
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        def fetch(url):
            # Each tile is rendered afresh by the server: over its per-client render rate it
            # answers 429 with Retry-After, which a client honours.
            deadline = time.time() + 120
            while True:
                try:
                    with opener.open(urllib.request.Request(url, headers={"Accept-Encoding": "gzip"}), timeout=60) as response:
                        return response.read()
                except urllib.error.HTTPError as error:
                    if error.code != 429 or time.time() > deadline:
                        raise
                    time.sleep(float(error.headers.get("Retry-After", "1")))
        with open(path, "rb") as f:
            reader = Reader(MmapSource(f))
            header = {k: (v.value if hasattr(v, "value") else v) for k, v in reader.header().items()}
            metadata = reader.metadata()
            count, mismatches, first = 0, [], None
            for (z, x, y), data in all_tiles(reader.get_bytes):
                count += 1
                first = first or (z, x, y, data)
                if fetch(f"{base}/{z}/{x}/{y}.{extension}") != data:
                    mismatches.append(f"{z}/{x}/{y}")
            lookup = first is not None and reader.get(first[0], first[1], first[2]) == first[3]
        print(json.dumps({"header": header, "metadata": metadata, "tiles": count, "mismatches": mismatches[:20], "lookup": lookup}))
        """#

    /// `pixels A B`: the fraction of pixels with a channel off by more than 24. `districts V R`:
    /// in 32 px blocks, whether the vector view is mostly district red where Cairn's raster is
    /// mostly not its sea blue (#2060c0), and the fraction of red pixels.
    static let comparison = #"""
        import json, sys
        import cairo, numpy
        def read(path):
            s = cairo.ImageSurface.create_from_png(path)
            h, stride = s.get_height(), s.get_stride()
            d = numpy.frombuffer(s.get_data(), dtype=numpy.uint8).reshape(h, stride)
            return d[:, : s.get_width() * 4].reshape(h, s.get_width(), 4)[:, :, 2::-1].astype(numpy.int32)
        mode, a, b = sys.argv[1], read(sys.argv[2]), read(sys.argv[3])
        if mode == "pixels":
            print(json.dumps({"differing": float((numpy.abs(a - b).max(axis=2) > 24).mean())}))
        else:
            red = (a[:, :, 0] > 180) & (a[:, :, 1] < 80) & (a[:, :, 2] < 80)
            sea = (numpy.abs(b - numpy.array([0x20, 0x60, 0xc0])).max(axis=2) <= 24)
            total = agree = land_blocks = 0
            for y in range(0, 512, 32):
                for x in range(0, 512, 32):
                    total += 1
                    land = bool(sea[y:y+32, x:x+32].mean() < 0.5)
                    land_blocks += land
                    if land == bool(red[y:y+32, x:x+32].mean() > 0.5):
                        agree += 1
            print(json.dumps({"agreeing": agree / total, "district_fraction": float(red.mean()), "land_blocks": land_blocks, "blocks": total}))
        """#
}

/// nginx serving a folder as a static site (Range requests included, as object storage and CDNs
/// answer them), with `/maps/` passed to a Cairn server so pages compare both from one origin.
struct StaticSite {
    let process: Process
    let port: Int
    var base: String { "http://127.0.0.1:\(port)" }

    static func start(nginx: String, root: String, upstream: Int, folder: String) throws -> StaticSite {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // Workers run as another user when the tests run as root.
        _ = try? runProgram("/bin/chmod", ["-R", "a+rwX", folder, root])
        let port = try InteropServer.freePort()
        let config = """
            daemon off;
            worker_processes 1;
            pid \(folder)/nginx.pid;
            error_log \(folder)/error.log;
            events { worker_connections 64; }
            http {
                include /etc/nginx/mime.types;
                types { application/vnd.pmtiles pmtiles; }
                access_log off;
                client_body_temp_path \(folder)/body;
                proxy_temp_path \(folder)/proxy;
                fastcgi_temp_path \(folder)/fastcgi;
                uwsgi_temp_path \(folder)/uwsgi;
                scgi_temp_path \(folder)/scgi;
                server {
                    listen 127.0.0.1:\(port);
                    root \(root);
                    location /maps/ { proxy_pass http://127.0.0.1:\(upstream); }
                }
            }
            """
        try config.write(toFile: folder + "/nginx.conf", atomically: true, encoding: .utf8)
        let process = try NginxProcess.start(nginx, folder: folder, port: port) { curlStatus("http://127.0.0.1:\(port)/pywidget.js") == 200 }
        return StaticSite(process: process, port: port)
    }

    func stop() { NginxProcess.stop(process) }
}
