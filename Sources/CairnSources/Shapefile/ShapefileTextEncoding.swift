import CairnCore

/// How the text in a .dbf is encoded, from the .cpg file or else the DBF language-driver byte.
///
/// Only UTF-8 and windows-1252 are decoded. ISO-8859-1 is read as windows-1252 (its superset
/// for printable text, as WHATWG does). When nothing names the encoding (no .cpg, language
/// driver 0 or an unknown one, or an unknown .cpg) each value is read as UTF-8 when it is valid
/// UTF-8 and as windows-1252 otherwise: Latin-1 text is almost never valid UTF-8. A legacy
/// encoding a style names (TCVN3, VNI, windows-1258) overrides all of these: old Vietnamese .dbf
/// files rarely say what they hold.
enum ShapefileTextEncoding: Sendable, Equatable {
    case utf8
    case windows1252
    case utf8OrWindows1252
    case legacy(LegacyTextEncoding)

    init(cpg: String?, languageDriver: UInt8) {
        if let cpg {
            let name = cpg.uppercased().filter { $0.isLetter || $0.isNumber }
            switch name {
            case "UTF8", "65001":
                self = .utf8
            case "ISO88591", "88591", "LATIN1", "1252", "CP1252", "WINDOWS1252", "ANSI1252", "28591":
                self = .windows1252
            default:
                self = .utf8OrWindows1252
            }
            return
        }
        switch languageDriver {
        // DOS USA/multilingual are close enough for ASCII; windows ANSI; the 0x57 GDAL writes.
        case 0x01, 0x02, 0x03, 0x57, 0x58, 0x59:
            self = .windows1252
        default:
            self = .utf8OrWindows1252
        }
    }

    func decode(_ bytes: UnsafeRawBufferPointer) -> String {
        if case .legacy(let encoding) = self { return encoding.decode(bytes) }
        if self != .windows1252 || bytes.allSatisfy({ $0 < 0x80 }) {
            if self == .utf8 { return String(decoding: bytes, as: UTF8.self) }
            if Self.isValidUTF8(bytes) { return String(decoding: bytes, as: UTF8.self) }
        }
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            if byte >= 0x80 && byte < 0xA0 {
                scalars.append(Unicode.Scalar(Self.windows1252High[Int(byte) - 0x80]) ?? Unicode.Scalar(byte))
            } else {
                scalars.append(Unicode.Scalar(byte))
            }
        }
        return String(scalars)
    }

    private static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// Code points of windows-1252 bytes 0x80...0x9F (undefined ones map to themselves).
    private static let windows1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]
}
