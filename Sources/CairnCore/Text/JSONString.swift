/// JSON string literals, written the same way wherever Cairn writes JSON by hand (style error
/// messages, tile matrix set documents, values embedded in the viewer page).
public enum JSONString {
    /// `text` as a quoted JSON string. With `htmlSafe`, `<`, `>`, `&`, `'` and the JavaScript
    /// line separators are escaped too, so the literal is inert inside an HTML `<script>` element.
    public static func quoted(_ text: String, htmlSafe: Bool = false) -> String {
        var out = "\""
        append(text, htmlSafe: htmlSafe, to: &out)
        return out + "\""
    }

    /// Appends the escaped characters of `text` (without quotes).
    public static func append(_ text: String, htmlSafe: Bool = false, to out: inout String) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "'", "\u{2028}", "\u{2029}":
                if htmlSafe { out += unicodeEscape(scalar.value) } else { out.unicodeScalars.append(scalar) }
            default:
                if scalar.value < 0x20 || (htmlSafe && scalar.value == 0x7F) {
                    out += unicodeEscape(scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
    }

    static func unicodeEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
