/// The HTML face of an OGC API JSON document: the same members as nested lists, with every
/// `href` that is a plain http(s) URL made a link. Everything is escaped; the style sheet is
/// `/assets/ogc.css` (no inline style, for the Content-Security-Policy).
enum OGCHTMLPage {
    static func render(title: String, document: Any) -> String {
        var html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(HTMLText.escape(title))</title>
        <link rel="stylesheet" href="\(ViewerAssets.url("ogc.css"))"></head>
        <body><h1>\(HTMLText.escape(title))</h1>

        """
        html += list(document)
        html += "\n<p><a href=\"?f=json\">JSON</a></p></body></html>\n"
        return html
    }

    static func list(_ value: Any) -> String {
        switch value {
        case let object as [String: Any]:
            if let href = object["href"] as? String { return link(object, href: href) }
            var out = "<ul>"
            for key in object.keys.sorted() {
                out += "<li><span class=\"k\">\(HTMLText.escape(key)):</span> \(list(object[key]!))</li>"
            }
            return out + "</ul>"
        case let array as [Any]:
            if array.allSatisfy({ !($0 is [String: Any]) && !($0 is [Any]) }) {
                return array.map(scalar).joined(separator: ", ")
            }
            return "<ul>" + array.map { "<li>\(list($0))</li>" }.joined() + "</ul>"
        default:
            return scalar(value)
        }
    }

    static func link(_ object: [String: Any], href: String) -> String {
        let label = (object["title"] as? String) ?? href
        let rel = (object["rel"] as? String).map { " <span class=\"k\">(\(HTMLText.escape($0))\((object["type"] as? String).map { ", " + HTMLText.escape($0) } ?? ""))</span>" } ?? ""
        let templated = (object["templated"] as? Bool) ?? false
        guard !templated, href.hasPrefix("http://") || href.hasPrefix("https://") else {
            return "<code>\(HTMLText.escape(href))</code>\(rel)"
        }
        return "<a href=\"\(HTMLText.escape(href))\">\(HTMLText.escape(label))</a>\(rel)"
    }

    static func scalar(_ value: Any) -> String {
        switch value {
        case let string as String: return HTMLText.escape(string)
        case let bool as Bool: return bool ? "true" : "false"
        default: return HTMLText.escape(String(describing: value))
        }
    }
}
