/// The two Windows code pages legacy Vietnamese text passes through: windows-1258 as an encoding
/// of its own, windows-1252 as the characters careless converters turned legacy bytes into.
/// Bytes a code page leaves undefined map to the C1 control of the same value, as WHATWG does.
enum WindowsCodePages {
    /// windows-1252 bytes 0x80–0x9F; 0xA0–0xFF are Latin-1.
    static let windows1252C1: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// The byte windows-1252 shows as `scalar`, or else the Latin-1 byte of a scalar below U+0100;
    /// nil for anything else.
    static func windows1252OrLatin1Byte(_ scalar: Unicode.Scalar) -> UInt8? {
        if scalar.value < 0x100 { return UInt8(scalar.value) }
        return windows1252Bytes[scalar.value]
    }

    private static let windows1252Bytes: [UInt32: UInt8] = Dictionary(
        uniqueKeysWithValues: windows1252C1.enumerated().compactMap { index, value in
            value >= 0x100 ? (value, UInt8(0x80 + index)) : nil
        }
    )

    /// windows-1258 bytes 0x80–0xFF: windows-1252 without Š Ž š ž, and Vietnamese letters (Ă Đ Ơ Ư
    /// ă đ ơ ư), the five combining tones (0xCC grave, 0xD2 hook, 0xDE tilde, 0xEC acute, 0xF2 dot
    /// below) and ₫ in place of twelve Latin-1 letters.
    static let windows1258High: [UInt32] = {
        var table = windows1252C1 + (0xA0...0xFF).map { UInt32($0) }
        for byte in [0x8A, 0x8E, 0x9A, 0x9E] { table[byte - 0x80] = UInt32(byte) }
        let vietnamese: [(byte: Int, scalar: UInt32)] = [
            (0xC3, 0x0102), (0xCC, 0x0300), (0xD0, 0x0110), (0xD2, 0x0309), (0xD5, 0x01A0), (0xDD, 0x01AF), (0xDE, 0x0303),
            (0xE3, 0x0103), (0xEC, 0x0301), (0xF0, 0x0111), (0xF2, 0x0323), (0xF5, 0x01A1), (0xFD, 0x01B0), (0xFE, 0x20AB),
        ]
        for (byte, scalar) in vietnamese { table[byte - 0x80] = scalar }
        return table
    }()
}
