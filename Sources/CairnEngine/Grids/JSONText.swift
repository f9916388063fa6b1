import CairnCore
import Foundation

/// JSON text with sorted keys and every Double in its shortest exact spelling.
/// Foundation's writer on Linux rounds doubles to 15 digits, which moves a Web Mercator
/// origin by micrometres and breaks round trips of tile matrix sets.
public enum JSONText {
    /// Encodes dictionaries, arrays, strings, Bool, Int and Double (non-finite become null).
    public static func data(_ value: Any) -> Data {
        var out = ""
        write(value, to: &out)
        return Data(out.utf8)
    }

    static func write(_ value: Any, to out: inout String) {
        switch value {
        case let string as String:
            writeString(string, to: &out)
        case let object as [String: Any]:
            out += "{"
            for (index, key) in object.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                writeString(key, to: &out)
                out += ":"
                write(object[key]!, to: &out)
            }
            out += "}"
        case let array as [Any]:
            out += "["
            for (index, element) in array.enumerated() {
                if index > 0 { out += "," }
                write(element, to: &out)
            }
            out += "]"
        case let bool as Bool:
            out += bool ? "true" : "false"
        case let int as Int:
            out += String(int)
        case let double as Double:
            out += double.isFinite ? double.description : "null"
        default:
            out += "null"
        }
    }

    static func writeString(_ string: String, to out: inout String) {
        out += JSONString.quoted(string)
    }
}
