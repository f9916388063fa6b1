import CairnCore

/// The HTML face of an OGC API JSON document: the same members as nested lists, with every
/// `href` that is a plain http(s) URL made a link. Everything is escaped; the style sheet is
/// `/assets/ogc.css` (no inline style, for the Content-Security-Policy).
enum OGCHTMLPage {
    static func render(title: String, document: JSONValue) -> String {
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

    static func list(_ value: JSONValue) -> String {
        switch value {
        case .object(let members):
            if let href = value["href"]?.stringValue { return link(value, href: href) }
            var out = "<ul>"
            for member in members {
                out += "<li><span class=\"k\">\(HTMLText.escape(member.key)):</span> \(list(member.value))</li>"
            }
            return out + "</ul>"
        case .array(let items):
            if items.allSatisfy({ $0.objectMembers == nil && $0.arrayValue == nil }) {
                return items.map(scalar).joined(separator: ", ")
            }
            return "<ul>" + items.map { "<li>\(list($0))</li>" }.joined() + "</ul>"
        default:
            return scalar(value)
        }
    }

    static func link(_ object: JSONValue, href: String) -> String {
        let label = object["title"]?.stringValue ?? href
        let rel = object["rel"]?.stringValue.map { " <span class=\"k\">(\(HTMLText.escape($0))\(object["type"]?.stringValue.map { ", " + HTMLText.escape($0) } ?? ""))</span>" } ?? ""
        let templated = object["templated"]?.boolValue ?? false
        guard !templated, href.hasPrefix("http://") || href.hasPrefix("https://") else {
            return "<code>\(HTMLText.escape(href))</code>\(rel)"
        }
        return "<a href=\"\(HTMLText.escape(href))\">\(HTMLText.escape(label))</a>\(rel)"
    }

    static func scalar(_ value: JSONValue) -> String {
        switch value {
        case .string(let string): return HTMLText.escape(string)
        default: return HTMLText.escape(value.text)
        }
    }
}
