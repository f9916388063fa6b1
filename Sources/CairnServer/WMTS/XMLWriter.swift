/// Builds an XML document as text, escaping every text node and attribute value, so
/// nothing from configuration or a request can change the document's structure.
struct XMLWriter {
    private(set) var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    private var depth = 0

    typealias Attributes = KeyValuePairs<String, String>

    mutating func open(_ name: String, _ attributes: Attributes = [:]) {
        indent()
        text += "<" + name + Self.render(attributes) + ">\n"
        depth += 1
    }

    mutating func close(_ name: String) {
        depth -= 1
        indent()
        text += "</" + name + ">\n"
    }

    /// `<name attributes>value</name>` on one line.
    mutating func element(_ name: String, _ value: String, _ attributes: Attributes = [:]) {
        indent()
        text += "<" + name + Self.render(attributes) + ">" + Self.escape(value, inAttribute: false) + "</" + name + ">\n"
    }

    /// `<name attributes/>`
    mutating func empty(_ name: String, _ attributes: Attributes = [:]) {
        indent()
        text += "<" + name + Self.render(attributes) + "/>\n"
    }

    private mutating func indent() { text += String(repeating: "  ", count: depth) }

    private static func render(_ attributes: Attributes) -> String {
        var result = ""
        for (name, value) in attributes { result += " " + name + "=\"" + escape(value, inAttribute: true) + "\"" }
        return result
    }

    /// Escapes markup characters and drops characters XML 1.0 cannot carry at all (most
    /// C0 controls, lone surrogates cannot occur in a Swift String, U+FFFE/U+FFFF).
    /// In attributes, tab and line breaks become character references so they survive
    /// attribute-value normalisation.
    static func escape(_ value: String, inAttribute: Bool) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(value.unicodeScalars.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r":
                if inAttribute { result += "&#\(scalar.value);" } else { result.unicodeScalars.append(scalar) }
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
