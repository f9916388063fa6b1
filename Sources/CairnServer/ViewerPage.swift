import CairnCore
/// HTML pages of the built-in map viewer: a landing page listing the maps and, per map, a small hand-written
/// slippy map. Its script and style sheet are Cairn's own `/assets/viewer.js` and `/assets/viewer.css`
/// (`ViewerAssets`; no CDNs, so it works offline), and the page holds no inline code: the per-map settings are a
/// JSON data block (`<script type="application/json" id="cairn-config">`, never executed), so the
/// Content-Security-Policy needs no `unsafe-inline`.
///
/// Every interpolated string is HTML-escaped, and every value in the JSON block is encoded with `<`, `>`, `&`,
/// U+2028 and U+2029 escaped, so names and titles from configuration files cannot end the block or inject markup.
public enum ViewerPage {
    /// The viewer page of one map.
    ///
    /// - Parameters:
    ///   - mapName: the map's URL name (used for the link back to the map list and the page id).
    ///   - title: human-readable title, shown in the header and the window title.
    ///   - tileURLTemplate: tile URL with `{z}`, `{x}`, `{y}` (absolute or relative to the page), e.g.
    ///     `/maps/hai-phong/{z}/{x}/{y}.png`. On screens with `devicePixelRatio > 1` the viewer asks for 512 px
    ///     tiles: `{r}` is replaced by `@2x` (or by nothing on standard screens); without `{r}`, `@2x` is
    ///     appended to the `{y}` path segment (`.../{y}@2x.png`).
    ///   - center: initial centre (WGS 84), used when the URL has no `#z/lat/lon` hash.
    ///   - zoom: initial XYZ zoom of 256 px tiles, clamped to `minZoom...maxZoom`.
    ///   - minZoom: lowest XYZ zoom the viewer allows.
    ///   - maxZoom: highest XYZ zoom the viewer allows.
    ///   - attribution: plain text shown in the attribution box (escaped, not interpreted as HTML).
    ///   - vector: the MapLibre GL JS mode (Cairn's vector tiles drawn in the browser); nil for raster only.
    ///   - tileToken: the tile token of an internal map's page, which vector mode appends (as `?token=`) to its
    ///     requests for this map's style, TileJSON and tiles; nil for public maps.
    /// - Returns: a complete `text/html; charset=utf-8` document.
    public static func html(
        mapName: String,
        title: String,
        tileURLTemplate: String,
        center: (lon: Double, lat: Double),
        zoom: Int,
        minZoom: Int,
        maxZoom: Int,
        attribution: String,
        vector: VectorMode? = nil,
        tileToken: String? = nil
    ) -> String {
        let low = max(0, min(minZoom, maxZoom))
        let high = min(30, max(minZoom, maxZoom))
        let startZoom = max(low, min(high, zoom))
        let config = "{"
            + "\"name\":" + jsonString(mapName)
            + ",\"tiles\":" + jsonString(tileURLTemplate)
            + ",\"lon\":" + jsonNumber(center.lon, fallback: 0)
            + ",\"lat\":" + jsonNumber(center.lat, fallback: 0)
            + ",\"zoom\":" + String(startZoom)
            + ",\"minZoom\":" + String(low)
            + ",\"maxZoom\":" + String(high)
            + (vector.map { ",\"vector\":" + $0.json } ?? "")
            + (tileToken.map { ",\"token\":" + jsonString($0) } ?? "")
            + "}"
        var modes = ""
        if let vector {
            let disabled = vector.unavailableReason.map { " disabled title=\"" + escapeHTML($0) + "\"" } ?? ""
            modes = "<span class=\"modes\" role=\"group\" aria-label=\"Rendering\">"
                + "<button id=\"mode-raster\" type=\"button\" aria-pressed=\"true\" title=\"PNG tiles drawn by Cairn\">Raster</button>"
                + "<button id=\"mode-vector\" type=\"button\" aria-pressed=\"false\"\(disabled.isEmpty ? " title=\"Vector tiles drawn by MapLibre GL JS\"" : disabled)>Vector</button></span>"
                + "<span id=\"mode-note\" class=\"note\">" + escapeHTML(vector.unavailableReason.map { "Vector mode off: " + $0 } ?? "") + "</span>"
        }
        return #"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\#(escapeHTML(title)) · Cairn</title>
            <link rel="stylesheet" href="\#(ViewerAssets.url("viewer.css"))">
            </head>
            <body class="viewer">
            <header><a class="home" href="/" title="Maps">&#8962;</a><h1>\#(escapeHTML(title))</h1>\#(modes)<span id="pos" class="pos"></span></header>
            <div id="frame">
            <div id="map" tabindex="0" aria-label="\#(escapeHTML(title))" data-map="\#(escapeHTML(mapName))"></div>
            <div class="zoom"><button id="zin" type="button" title="Zoom in" aria-label="Zoom in">+</button><button id="zout" type="button" title="Zoom out" aria-label="Zoom out">&#8722;</button></div>
            <div id="gl" hidden></div>
            <div class="attribution">\#(escapeHTML(attribution)) · Cairn</div>
            </div>
            <script type="application/json" id="cairn-config">\#(config)</script>
            <script src="\#(ViewerAssets.url("viewer.js"))"></script>
            </body>
            </html>

            """#
    }

    /// The landing page: a list of maps, each linking to `/maps/{name}/` (the name percent-encoded as one path
    /// segment, then HTML-escaped).
    public static func index(maps: [(name: String, title: String)]) -> String {
        var items = ""
        for map in maps {
            let href = "/maps/" + percentEncodePathSegment(map.name) + "/"
            items += "<li><a href=\"" + escapeHTML(href) + "\">" + escapeHTML(map.title) + "</a> <code>"
                + escapeHTML(map.name) + "</code></li>\n"
        }
        if maps.isEmpty {
            items = "<li class=\"empty\">No maps are configured.</li>\n"
        }
        return #"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Cairn maps</title>
            <link rel="stylesheet" href="\#(ViewerAssets.url("viewer.css"))">
            </head>
            <body class="index">
            <header><h1>Cairn maps</h1></header>
            <main>
            <ul class="maps">
            \#(items)</ul>
            </main>
            </body>
            </html>

            """#
    }

    // MARK: - Escaping

    /// Escapes text for HTML element content and quoted attribute values.
    static func escapeHTML(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A JSON string literal that is also safe inside an HTML `<script>` element.
    static func jsonString(_ text: String) -> String { JSONString.quoted(text, htmlSafe: true) }

    /// A JSON number; NaN and infinities (not valid JSON) become `fallback`.
    static func jsonNumber(_ value: Double, fallback: Double) -> String {
        let finite = value.isFinite ? value : fallback
        return finite == finite.rounded() && abs(finite) < 1e15 ? String(Int64(finite)) : String(finite)
    }


    /// Percent-encodes everything except RFC 3986 unreserved characters, so a name is one path segment.
    static func percentEncodePathSegment(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    /// What the viewer's vector mode needs: the client style and MapLibre GL JS, served by Cairn itself.
    public struct VectorMode: Sendable {
        public var styleURL: String
        public var scriptURL: String
        public var cssURL: String
        /// The path prefix of this map's resources (`/maps/{map}/`), the only URLs vector mode gives the tile token.
        public var mapPath: String
        /// Why the mode is off (MapLibre GL JS not installed); nil when it is offered.
        public var unavailableReason: String?

        public init(map: String, unavailableReason: String?) {
            mapPath = "/maps/" + percentEncodePathSegment(map) + "/"
            styleURL = mapPath + "style.json"
            scriptURL = "/assets/maplibre-gl.js"
            cssURL = "/assets/maplibre-gl.css"
            self.unavailableReason = unavailableReason
        }

        var json: String {
            "{\"style\":" + jsonString(styleURL) + ",\"script\":" + jsonString(scriptURL) + ",\"css\":" + jsonString(cssURL)
                + ",\"base\":" + jsonString(mapPath)
                + ",\"available\":" + (unavailableReason == nil ? "true" : "false") + "}"
        }
    }

    // MARK: - Static assets (served by `ViewerAssets`)

    static let pageCSS = #"""
        *{box-sizing:border-box}
        html,body{margin:0;height:100%;font:14px/1.4 "Noto Sans","DejaVu Sans",system-ui,sans-serif;color:#2b2722;background:#f2efe9}
        header{display:flex;align-items:center;gap:.6em;height:42px;padding:0 12px;background:#fff;border-bottom:1px solid #d8d2c8}
        header h1{font-size:16px;margin:0;font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
        a{color:#2f5f9e}
        .index main{max-width:760px;margin:24px auto;padding:0 16px}
        .maps{list-style:none;padding:0;margin:0}
        .maps li{padding:12px 14px;margin:0 0 8px;background:#fff;border:1px solid #ddd6cb;border-radius:6px}
        .maps a{font-size:16px;font-weight:600;text-decoration:none}
        .maps code{color:#8a8177;margin-left:.5em}
        """#

    static let mapCSS = #"""
        .viewer{display:flex;flex-direction:column;overflow:hidden}
        .home{font-size:20px;text-decoration:none;color:#6a6158}
        .pos{margin-left:auto;color:#8a8177;font:12px ui-monospace,"DejaVu Sans Mono",monospace;white-space:nowrap}
        #frame{position:relative;flex:1;overflow:hidden}
        #map{position:absolute;inset:0;overflow:hidden;background:#e9e6df;cursor:grab;touch-action:none;outline:none;user-select:none;-webkit-user-select:none}
        #map.dragging{cursor:grabbing}
        .layer{position:absolute;left:0;top:0;transform-origin:0 0}
        .tile{position:absolute;left:0;top:0;width:256px;height:256px;max-width:none;user-select:none;-webkit-user-drag:none;pointer-events:none}
        .zoom{position:absolute;top:10px;left:10px;display:flex;flex-direction:column;box-shadow:0 1px 4px rgba(0,0,0,.3);border-radius:5px;overflow:hidden}
        .zoom button{width:32px;height:32px;border:0;background:#fff;font:bold 20px/1 system-ui,sans-serif;color:#333;cursor:pointer}
        .zoom button+button{border-top:1px solid #ddd}
        .zoom button:hover{background:#f3f3f3}
        .zoom button:disabled{color:#bbb;cursor:default;background:#fff}
        #gl{position:absolute;inset:0}
        #gl[hidden],#map[hidden],.zoom[hidden]{display:none}
        .modes{display:inline-flex;flex-shrink:0;margin-left:.8em;border:1px solid #cfc7bb;border-radius:5px;overflow:hidden}
        .modes button{border:0;background:#fff;padding:3px 10px;font:13px system-ui,sans-serif;color:#4a443d;cursor:pointer}
        .modes button+button{border-left:1px solid #cfc7bb}
        .modes button[aria-pressed="true"]{background:#4a6f9e;color:#fff}
        .modes button:disabled{color:#aaa;cursor:not-allowed}
        .note{color:#8a8177;font-size:12px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
        .attribution{position:absolute;right:0;bottom:0;max-width:100%;padding:2px 6px;font-size:11px;background:rgba(255,255,255,.8);color:#333}
        """#

    // The slippy map: integer zoom levels, 256 CSS px tiles (512 px images on high-DPI screens), drag / wheel /
    // double-click / pinch / keyboard / buttons, and the view kept in the URL hash as #z/lat/lon.
    static let viewerJS = #"""
        (function () {
          "use strict";
          var CFG = JSON.parse(document.getElementById("cairn-config").textContent), TILE = 256, MAXLAT = 85.0511287798;
          var map = document.getElementById("map"), pos = document.getElementById("pos");
          var zin = document.getElementById("zin"), zout = document.getElementById("zout");
          var retina = (window.devicePixelRatio || 1) > 1;
          var z = CFG.zoom, cx = 0, cy = 0;           // centre in world pixels at zoom z
          var layer = null, tiles = {}, pending = 0, oldLayers = [];

          function clampZ(v) { return Math.max(CFG.minZoom, Math.min(CFG.maxZoom, v)); }
          function worldSize(zz) { return TILE * Math.pow(2, zz); }
          function project(lon, lat, zz) {
            var s = worldSize(zz), r = Math.max(-MAXLAT, Math.min(MAXLAT, lat)) * Math.PI / 180;
            return [(lon + 180) / 360 * s, (1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * s];
          }
          function unproject(x, y, zz) {
            var s = worldSize(zz), n = Math.PI - 2 * Math.PI * y / s;
            return [x / s * 360 - 180, 180 / Math.PI * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n)))];
          }
          function tileURL(tz, tx, ty) {
            var t = CFG.tiles;
            if (t.indexOf("{r}") >= 0) { t = t.split("{r}").join(retina ? "@2x" : ""); }
            else if (retina) { t = t.split("{y}").join("{y}@2x"); }
            return t.split("{z}").join(String(tz)).split("{x}").join(String(tx)).split("{y}").join(String(ty));
          }
          function setView(lon, lat, zz) {
            z = clampZ(zz);
            var p = project(lon, lat, z);
            cx = p[0]; cy = p[1];
          }
          function newLayer() {
            layer = document.createElement("div");
            layer.className = "layer";
            map.appendChild(layer);
            tiles = {}; pending = 0;
          }
          function dropOldLayers() {
            while (oldLayers.length) { var l = oldLayers.shift(); if (l.parentNode) { l.parentNode.removeChild(l); } }
          }
          function tileDone() {
            pending = Math.max(0, pending - 1);
            if (pending === 0) { dropOldLayers(); }
          }
          function render() {
            var w = map.clientWidth, h = map.clientHeight, n = Math.pow(2, z), s = worldSize(z);
            cx = ((cx % s) + s) % s;
            cy = Math.max(0, Math.min(s, cy));
            var left = Math.round(cx - w / 2), top = Math.round(cy - h / 2);
            var x0 = Math.floor(left / TILE), x1 = Math.floor((left + w - 1) / TILE);
            var y0 = Math.max(0, Math.floor(top / TILE)), y1 = Math.min(n - 1, Math.floor((top + h - 1) / TILE));
            var keep = {};
            for (var ty = y0; ty <= y1; ty++) {
              for (var tx = x0; tx <= x1; tx++) {
                var key = tx + "/" + ty, img = tiles[key];
                if (!img) {
                  img = document.createElement("img");
                  img.className = "tile"; img.alt = ""; img.draggable = false;
                  img.onload = tileDone;
                  img.onerror = function () { this.style.visibility = "hidden"; tileDone(); };
                  pending++;
                  img.src = tileURL(z, ((tx % n) + n) % n, ty);
                  layer.appendChild(img);
                  tiles[key] = img;
                }
                img.style.transform = "translate(" + (tx * TILE - left) + "px," + (ty * TILE - top) + "px)";
                keep[key] = true;
              }
            }
            for (var k in tiles) {
              if (!keep[k]) {
                var gone = tiles[k];
                gone.onload = gone.onerror = null;
                if (!gone.complete) { tileDone(); }
                layer.removeChild(gone);
                delete tiles[k];
              }
            }
            if (pending === 0) { dropOldLayers(); }
            zin.disabled = z >= CFG.maxZoom; zout.disabled = z <= CFG.minZoom;
            scheduleHash();
          }
          function zoomTo(nz, px, py) {
            nz = clampZ(nz);
            if (nz === z) { return; }
            var w = map.clientWidth, h = map.clientHeight;
            if (px === undefined) { px = w / 2; py = h / 2; }
            var f = Math.pow(2, nz - z), wx = cx - w / 2 + px, wy = cy - h / 2 + py;
            // keep the old tiles, scaled around the anchor, until the new level has loaded
            dropOldLayers();
            var old = layer, shift = "translate(" + px + "px," + py + "px) scale(" + f + ") translate(" + (-px) + "px," + (-py) + "px)";
            old.style.transform = shift + (old.style.transform ? " " + old.style.transform : "");
            oldLayers.push(old);
            setTimeout(dropOldLayers, 3000);
            cx = wx * f - px + w / 2; cy = wy * f - py + h / 2; z = nz;
            newLayer();
            render();
          }
          function panBy(dx, dy) {
            cx -= dx; cy -= dy;
            var t = "translate(" + dx + "px," + dy + "px)";
            for (var i = 0; i < oldLayers.length; i++) { oldLayers[i].style.transform = t + " " + oldLayers[i].style.transform; }
            render();
          }

          // ---- URL hash #z/lat/lon
          var hashTimer = null, lastHash = "";
          function currentHash() {
            var ll = unproject(cx, cy, z);
            return "#" + z + "/" + ll[1].toFixed(5) + "/" + ll[0].toFixed(5);
          }
          function scheduleHash() {
            var hsh = currentHash();
            pos.textContent = "z" + hsh.slice(1).split("/").join(" ");
            if (hashTimer) { return; }
            hashTimer = setTimeout(function () {
              hashTimer = null;
              lastHash = currentHash();
              if (location.hash !== lastHash) { history.replaceState(null, "", lastHash); }
            }, 250);
          }
          function readHash() {
            var m = /^#(\d+)\/(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)$/.exec(location.hash);
            if (!m) { return false; }
            setView(parseFloat(m[3]), parseFloat(m[2]), parseInt(m[1], 10));
            return true;
          }
          window.addEventListener("hashchange", function () {
            if (location.hash === lastHash) { return; }
            if (readHash()) { dropOldLayers(); if (layer) { map.removeChild(layer); } newLayer(); render(); }
          });

          // ---- input
          var pointers = {}, pinchDist = 0, dragged = false;
          function relative(e) { var r = map.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; }
          function pointerList() { var a = []; for (var k in pointers) { a.push(pointers[k]); } return a; }
          map.addEventListener("pointerdown", function (e) {
            if (e.pointerType === "mouse" && e.button !== 0) { return; }
            try { map.setPointerCapture(e.pointerId); } catch (err) { /* synthetic or already released pointer */ }
            pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
            var p = pointerList();
            if (p.length === 2) { pinchDist = Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y); }
            dragged = false;
            map.classList.add("dragging");
            map.focus();
          });
          map.addEventListener("pointermove", function (e) {
            var prev = pointers[e.pointerId];
            if (!prev) { return; }
            var p = pointerList();
            if (p.length === 1) {
              var dx = e.clientX - prev.x, dy = e.clientY - prev.y;
              prev.x = e.clientX; prev.y = e.clientY;
              if (dx || dy) { dragged = true; panBy(dx, dy); }
            } else if (p.length === 2) {
              prev.x = e.clientX; prev.y = e.clientY;
              var d = Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y), r = map.getBoundingClientRect();
              var mx = (p[0].x + p[1].x) / 2 - r.left, my = (p[0].y + p[1].y) / 2 - r.top;
              if (pinchDist > 0 && d / pinchDist > 1.6) { zoomTo(z + 1, mx, my); pinchDist = d; }
              else if (pinchDist > 0 && d / pinchDist < 0.625) { zoomTo(z - 1, mx, my); pinchDist = d; }
            }
          });
          function pointerEnd(e) {
            delete pointers[e.pointerId];
            pinchDist = 0;
            if (pointerList().length === 0) { map.classList.remove("dragging"); }
          }
          map.addEventListener("pointerup", pointerEnd);
          map.addEventListener("pointercancel", pointerEnd);
          map.addEventListener("dblclick", function (e) {
            e.preventDefault();
            var p = relative(e);
            zoomTo(z + (e.shiftKey ? -1 : 1), p[0], p[1]);
          });
          var wheelSum = 0, wheelLast = 0, wheelZoomed = 0;
          map.addEventListener("wheel", function (e) {
            e.preventDefault();
            var now = Date.now();
            if (now - wheelLast > 400) { wheelSum = 0; }
            wheelLast = now;
            wheelSum += e.deltaY * (e.deltaMode === 1 ? 40 : e.deltaMode === 2 ? 800 : 1);
            if (Math.abs(wheelSum) >= 50 && now - wheelZoomed > 250) {
              var p = relative(e);
              zoomTo(z + (wheelSum < 0 ? 1 : -1), p[0], p[1]);
              wheelSum = 0; wheelZoomed = now;
            }
          }, { passive: false });
          map.addEventListener("keydown", function (e) {
            var step = 120;
            switch (e.key) {
              case "+": case "=": zoomTo(z + 1); break;
              case "-": case "_": zoomTo(z - 1); break;
              case "ArrowLeft": panBy(step, 0); break;
              case "ArrowRight": panBy(-step, 0); break;
              case "ArrowUp": panBy(0, step); break;
              case "ArrowDown": panBy(0, -step); break;
              default: return;
            }
            e.preventDefault();
          });
          zin.addEventListener("click", function () { zoomTo(z + 1); });
          zout.addEventListener("click", function () { zoomTo(z - 1); });
          window.addEventListener("resize", render);

          if (!readHash()) { setView(CFG.lon, CFG.lat, CFG.zoom); }
          newLayer();
          // Opened in vector mode: no raster tiles until the user switches back.
          var vectorFirst = CFG.vector && CFG.vector.available && /(^|[?&])mode=vector(&|$)/.test(location.search);
          if (!vectorFirst) { render(); }
          window.cairnViewer = {
            zoomTo: zoomTo, panBy: panBy, view: function () { return currentHash(); },
            center: function () { var ll = unproject(cx, cy, z); return { lon: ll[0], lat: ll[1], zoom: z }; },
            jump: function (lon, lat, zz) {
              setView(lon, lat, zz); dropOldLayers();
              if (layer) { map.removeChild(layer); }
              newLayer(); render();
            }
          };
        })();
        """#

    // The vector mode: MapLibre GL JS (loaded from Cairn on first use) draws the client style from Cairn's
    // vector tiles over the same view; MapLibre zoom = raster level - 1 (512 px world), so the scale matches.
    // `?mode=vector` opens in it. The state goes to data attributes on <body> for tests and scripts.
    static let vectorJS = #"""
        (function () {
          "use strict";
          var CFG = JSON.parse(document.getElementById("cairn-config").textContent), V = CFG.vector, body = document.body;
          if (!V) { return; }
          var rasterBtn = document.getElementById("mode-raster"), vectorBtn = document.getElementById("mode-vector");
          var raster = document.getElementById("map"), gl = document.getElementById("gl"), note = document.getElementById("mode-note");
          var zoomBox = document.querySelector(".zoom");
          var glMap = null, errors = [];
          body.setAttribute("data-vector", V.available ? "off" : "unavailable");
          function fail(message) {
            errors.push(String(message));
            body.setAttribute("data-vector-errors", errors.join(" | ").slice(0, 2000));
            note.textContent = "Vector mode: " + message;
          }
          function load(done) {
            if (window.maplibregl) { done(); return; }
            var css = document.createElement("link");
            css.rel = "stylesheet"; css.href = V.css;
            document.head.appendChild(css);
            var script = document.createElement("script");
            script.src = V.script;
            script.onload = done;
            script.onerror = function () { fail("MapLibre GL JS could not be loaded"); };
            document.head.appendChild(script);
          }
          function press(vector) {
            rasterBtn.setAttribute("aria-pressed", vector ? "false" : "true");
            vectorBtn.setAttribute("aria-pressed", vector ? "true" : "false");
            raster.hidden = vector; zoomBox.hidden = vector; gl.hidden = !vector;
            history.replaceState(null, "", pageURL(vector, location.hash));
          }
          // The page's own URL with ?mode=vector set or removed, other parameters (a credential) kept.
          function pageURL(vector, hash) {
            var q = location.search.replace(/^\?/, "").split("&").filter(function (p) { return p && p !== "mode=vector"; });
            if (vector) { q.push("mode=vector"); }
            return location.pathname + (q.length ? "?" + q.join("&") : "") + hash;
          }
          // An internal map's page has a tile token: MapLibre's requests for this map's style, TileJSON and
          // tiles on this server carry it too (never requests elsewhere, which must not see it).
          function withToken(url) {
            if (!CFG.token) { return { url: url }; }
            var u;
            try { u = new URL(url, location.href); } catch (err) { return { url: url }; }
            if (u.host !== location.host || u.pathname.indexOf(V.base) !== 0 || u.searchParams.has("token")) { return { url: url }; }
            u.searchParams.set("token", CFG.token);
            return { url: u.href };
          }
          function syncHash() {
            var c = glMap.getCenter(), zz = Math.round(glMap.getZoom() + 1);
            var hsh = "#" + zz + "/" + c.lat.toFixed(5) + "/" + c.lng.toFixed(5);
            document.getElementById("pos").textContent = "z" + hsh.slice(1).split("/").join(" ");
            history.replaceState(null, "", pageURL(true, hsh));
          }
          function toVector() {
            if (!V.available) { return; }
            body.setAttribute("data-vector", "loading");
            load(function () {
              var c = window.cairnViewer.center();
              press(true);
              if (!glMap) {
                try {
                  glMap = new maplibregl.Map({
                    container: gl, style: V.style, center: [c.lon, c.lat], zoom: c.zoom - 1,
                    minZoom: Math.max(0, CFG.minZoom - 1), maxZoom: Math.max(0, CFG.maxZoom - 1),
                    attributionControl: false, fadeDuration: 0, transformRequest: withToken
                  });
                } catch (err) {
                  fail(err && err.message ? err.message : err);
                  return;
                }
                glMap.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-left");
                glMap.on("error", function (e) { fail(e && e.error && e.error.message ? e.error.message : "map error"); });
                glMap.on("load", function () { body.setAttribute("data-vector", "loaded"); syncHash(); });
                glMap.on("idle", function () { body.setAttribute("data-vector-idle", "true"); });
                glMap.on("moveend", syncHash);
              } else {
                glMap.jumpTo({ center: [c.lon, c.lat], zoom: c.zoom - 1 });
                glMap.resize();
                body.setAttribute("data-vector", "loaded");
              }
            });
          }
          function toRaster() {
            if (glMap) {
              var c = glMap.getCenter();
              window.cairnViewer.jump(c.lng, c.lat, Math.round(glMap.getZoom() + 1));
            }
            press(false);
            body.setAttribute("data-vector", V.available ? "off" : "unavailable");
          }
          rasterBtn.addEventListener("click", toRaster);
          vectorBtn.addEventListener("click", toVector);
          if (/(^|[?&])mode=vector(&|$)/.test(location.search)) { toVector(); }
          window.cairnVector = { show: toVector, hide: toRaster, map: function () { return glMap; } };
        })();
        """#
}
