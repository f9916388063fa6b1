/// How a source's attribute text is encoded, as named by a style source's `"encoding"`.
/// Much Vietnamese GIS data predates Unicode: TCVN3 (ABC, the ".Vn" fonts) and VNI store each
/// accented letter in one or two bytes of their own; windows-1258 mixes precomposed letters with
/// combining tone marks. Decoding always yields Unicode NFC, so labels shape and compare alike.
public enum LegacyTextEncoding: String, Sendable, Hashable, CaseIterable {
    case utf8 = "utf-8"
    case tcvn3
    case vni
    case cp1258

    /// The encoding a style names: "tcvn3", "vni", "cp1258" (also "windows-1258"), "utf-8" (also "utf8");
    /// case-insensitive. nil for any other name.
    public init?(name: String) {
        switch name.lowercased() {
        case "utf-8", "utf8": self = .utf8
        case "tcvn3", "tcvn-3", "abc": self = .tcvn3
        case "vni": self = .vni
        case "cp1258", "windows-1258": self = .cp1258
        default: return nil
        }
    }

    /// The names `init(name:)` accepts, for error messages.
    public static let acceptedNames = "\"tcvn3\", \"vni\", \"cp1258\" or \"utf-8\""

    /// Decodes raw attribute bytes to NFC text. Invalid UTF-8 becomes U+FFFD; in the single-byte
    /// encodings every byte is a character (bytes an encoding leaves free read as windows-1252, or
    /// as the C1 control of that value), so nothing is lost.
    public func decode(_ bytes: some Collection<UInt8>) -> String {
        let bytes = Array(bytes)
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        switch self {
        case .utf8:
            return CanonicalComposition.nfc(String(decoding: bytes, as: UTF8.self))
        case .tcvn3:
            return CanonicalComposition.nfc(Self.decodeSingleBytes(bytes, high: TCVN3Table.high))
        case .vni:
            return VNIText.decode(bytes)
        case .cp1258:
            return CanonicalComposition.nfc(Self.decodeSingleBytes(bytes, high: WindowsCodePages.windows1258High))
        }
    }

    /// Re-decodes text a Unicode-native reader (GeoJSON, GeoPackage) already decoded, when it holds
    /// legacy bytes shown as windows-1252/Latin-1 characters (what such files contain after a
    /// careless conversion): each character goes back to its byte, and the bytes are decoded.
    /// Text with a character that is no such byte is real Unicode and comes back as it is, in NFC.
    /// Real Unicode Vietnamese that happens to stay within Latin-1 ("Hòa Bình") cannot be told
    /// apart and is re-decoded too, which is why a style names the encoding only for legacy sources.
    /// For `.utf8` this is NFC of the text.
    public func redecode(_ text: String) -> String {
        if self == .utf8 { return CanonicalComposition.nfc(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            guard let byte = WindowsCodePages.windows1252OrLatin1Byte(scalar) else {
                return CanonicalComposition.nfc(text)
            }
            bytes.append(byte)
        }
        return decode(bytes)
    }

    /// ASCII below 0x80, `high` for 0x80–0xFF (128 code points).
    private static func decodeSingleBytes(_ bytes: [UInt8], high: [UInt32]) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            let value = byte < 0x80 ? UInt32(byte) : high[Int(byte) - 0x80]
            scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        return String(scalars)
    }
}
