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
            let disabled = vector.unavailableReason.map { " disabled title=\"" + HTMLText.escape($0) + "\"" } ?? ""
            modes = "<span class=\"modes\" role=\"group\" aria-label=\"Rendering\">"
                + "<button id=\"mode-raster\" type=\"button\" aria-pressed=\"true\" title=\"PNG tiles drawn by Cairn\">Raster</button>"
                + "<button id=\"mode-vector\" type=\"button\" aria-pressed=\"false\"\(disabled.isEmpty ? " title=\"Vector tiles drawn by MapLibre GL JS\"" : disabled)>Vector</button></span>"
                + "<span id=\"mode-note\" class=\"note\">" + HTMLText.escape(vector.unavailableReason.map { "Vector mode off: " + $0 } ?? "") + "</span>"
        }
        return #"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\#(HTMLText.escape(title)) · Cairn</title>
            <link rel="stylesheet" href="\#(ViewerAssets.url("viewer.css"))">
            </head>
            <body class="viewer">
            <header><a class="home" href="/" title="Maps">&#8962;</a><h1>\#(HTMLText.escape(title))</h1>\#(modes)<span id="pos" class="pos"></span></header>
            <div id="frame">
            <div id="map" tabindex="0" aria-label="\#(HTMLText.escape(title))" data-map="\#(HTMLText.escape(mapName))"></div>
            <div class="zoom"><button id="zin" type="button" title="Zoom in" aria-label="Zoom in">+</button><button id="zout" type="button" title="Zoom out" aria-label="Zoom out">&#8722;</button></div>
            <div id="gl" hidden></div>
            <div class="attribution">\#(HTMLText.escape(attribution)) · Cairn</div>
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
            items += "<li><a href=\"" + HTMLText.escape(href) + "\">" + HTMLText.escape(map.title) + "</a> <code>"
                + HTMLText.escape(map.name) + "</code></li>\n"
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

    // MARK: - Encoding

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
}
