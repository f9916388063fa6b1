import CairnCore

/// The embed page: HTML with its settings as a JSON data block (not executed), plus an external
/// script and style sheet, so a CSP without `unsafe-inline` allows it.
enum EmbedPage {
    static func html(title: String, attribution: String, tileURLTemplate: String, center: (Double, Double), zoom: Int,
                     minZoom: Int, maxZoom: Int, marker: (Double, Double)?) -> String {
        let low = max(0, min(minZoom, maxZoom))
        let high = min(24, max(minZoom, maxZoom))
        var settings = "{\"tiles\":" + JSONString.quoted(tileURLTemplate, htmlSafe: true)
            + ",\"lon\":" + number(center.0) + ",\"lat\":" + number(center.1)
            + ",\"zoom\":" + String(max(low, min(high, zoom))) + ",\"minZoom\":" + String(low) + ",\"maxZoom\":" + String(high)
        if let marker { settings += ",\"marker\":[" + number(marker.0) + "," + number(marker.1) + "]" }
        settings += "}"
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="strict-origin-when-cross-origin">
            <title>\(HTMLText.escape(title))</title>
            <link rel="stylesheet" href="\(ViewerAssets.url("embed.css"))">
            </head>
            <body>
            <div id="map" tabindex="0" aria-label="\(HTMLText.escape(title))"></div>
            <div class="zoom"><button id="zin" type="button" aria-label="Zoom in">+</button><button id="zout" type="button" aria-label="Zoom out">&#8722;</button></div>
            <div class="attribution">\(HTMLText.escape(attribution))</div>
            <script type="application/json" id="cairn-embed">\(settings)</script>
            <script src="\(ViewerAssets.url("embed.js"))"></script>
            </body>
            </html>

            """
    }

    static func number(_ value: Double) -> String {
        value.isFinite ? String(value) : "0"
    }
}
