/// The HTML face of an OGC API JSON document: the same members as nested lists, with every
/// `href` that is a plain http(s) URL made a link. Everything is escaped; the style sheet is
/// `/assets/ogc.css` (no inline style, for the Content-Security-Policy).
enum OGCHTMLPage {
    static let style = """
        body{font:15px/1.45 system-ui,sans-serif;margin:2em;max-width:70em}ul{list-style:none;padding-left:1.2em}
        .k{color:#555}code{background:#f3f3f3;padding:0 .2em}

        """

    static func render(title: String, document: Any) -> String {
        var html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
        <link rel="stylesheet" href="\(ViewerAssets.url("ogc.css"))"></head>
        <body><h1>\(escape(title))</h1>

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
                out += "<li><span class=\"k\">\(escape(key)):</span> \(list(object[key]!))</li>"
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
        let rel = (object["rel"] as? String).map { " <span class=\"k\">(\(escape($0))\((object["type"] as? String).map { ", " + escape($0) } ?? ""))</span>" } ?? ""
        let templated = (object["templated"] as? Bool) ?? false
        guard !templated, href.hasPrefix("http://") || href.hasPrefix("https://") else {
            return "<code>\(escape(href))</code>\(rel)"
        }
        return "<a href=\"\(escape(href))\">\(escape(label))</a>\(rel)"
    }

    static func scalar(_ value: Any) -> String {
        switch value {
        case let string as String: return escape(string)
        case let bool as Bool: return bool ? "true" : "false"
        default: return escape(String(describing: value))
        }
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
