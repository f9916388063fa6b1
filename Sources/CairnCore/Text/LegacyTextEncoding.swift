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

    /// Decodes raw attribute bytes to NFC text.
    public func decode(_ bytes: some Collection<UInt8>) -> String {
        // TODO(encodings): TCVN3, VNI and windows-1258 tables; UTF-8 only for now.
        String(decoding: Array(bytes), as: UTF8.self)
    }

    /// Re-decodes text a Unicode-native reader (GeoJSON, GeoPackage) already decoded, when it holds
    /// legacy bytes shown as windows-1252/Latin-1 characters (what such files contain after a
    /// careless conversion). Text with characters outside that range is returned unchanged.
    public func redecode(_ text: String) -> String {
        // TODO(encodings)
        text
    }
}
