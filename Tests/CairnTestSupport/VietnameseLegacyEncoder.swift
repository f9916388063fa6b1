import Foundation

/// Writes Vietnamese text in the legacy encodings, for fixtures: "names converted by a table in the
/// test, not by the code under test". Its tables are typed from the published charts
/// (vietunicode.sourceforge.net, TCVN 5712:1993) independently of `LegacyTextEncoding`'s, so a
/// decoding test compares two tables rather than one table with itself.
///
/// Input is converted to NFC first; ASCII passes through. A character the encoding cannot hold
/// (TCVN3 has no uppercase toned letters; neither has CJK) stops the test with a message: a fixture
/// must not silently contain something else.
public enum VietnameseLegacyEncoder {
    /// TCVN3 (TCVN 5712:1993 VN3, the ABC ".Vn" fonts): one byte per letter.
    public static func tcvn3(_ text: String) -> [UInt8] {
        encode(text, name: "TCVN3") { tcvn3Bytes[$0].map { [$0] } }
    }

    /// VNI (Windows): a base letter and a mark byte, or one byte for ơ ư đ and the toned i's and ỵ.
    public static func vni(_ text: String) -> [UInt8] {
        encode(text, name: "VNI") { character in
            if let lower = vniLowercase[character] { return lower }
            // VNI's uppercase is the windows-1252 (here Latin-1) uppercase of the lowercase bytes.
            let lowered = Character(character.lowercased())
            guard lowered != character, let lower = vniLowercase[lowered] else { return nil }
            return lower.map(latin1Uppercase)
        }
    }

    /// a–z and à–þ (but ÷) move down 0x20 to their capitals.
    private static func latin1Uppercase(_ byte: UInt8) -> UInt8 {
        (0x61...0x7A).contains(byte) || ((0xE0...0xFE).contains(byte) && byte != 0xF7) ? byte - 0x20 : byte
    }

    private static func encode(_ text: String, name: String, _ bytes: (Character) -> [UInt8]?) -> [UInt8] {
        var out: [UInt8] = []
        for character in text.precomposedStringWithCanonicalMapping {
            if let ascii = character.asciiValue {
                out.append(ascii)
            } else if let encoded = bytes(character) {
                out += encoded
            } else {
                preconditionFailure("\(name) has no bytes for \"\(character)\" (in \"\(text)\")")
            }
        }
        return out
    }

    /// The VN3 letters: lowercase vowels by base letter in the chart's order (grave, hook, tilde,
    /// acute, dot below), then the uppercase letters VN3 has.
    private static let tcvn3Bytes: [Character: UInt8] = [
        "à": 0xB5, "ả": 0xB6, "ã": 0xB7, "á": 0xB8, "ạ": 0xB9,
        "ă": 0xA8, "ằ": 0xBB, "ẳ": 0xBC, "ẵ": 0xBD, "ắ": 0xBE, "ặ": 0xC6,
        "â": 0xA9, "ầ": 0xC7, "ẩ": 0xC8, "ẫ": 0xC9, "ấ": 0xCA, "ậ": 0xCB,
        "đ": 0xAE,
        "è": 0xCC, "ẻ": 0xCE, "ẽ": 0xCF, "é": 0xD0, "ẹ": 0xD1,
        "ê": 0xAA, "ề": 0xD2, "ể": 0xD3, "ễ": 0xD4, "ế": 0xD5, "ệ": 0xD6,
        "ì": 0xD7, "ỉ": 0xD8, "ĩ": 0xDC, "í": 0xDD, "ị": 0xDE,
        "ò": 0xDF, "ỏ": 0xE1, "õ": 0xE2, "ó": 0xE3, "ọ": 0xE4,
        "ô": 0xAB, "ồ": 0xE5, "ổ": 0xE6, "ỗ": 0xE7, "ố": 0xE8, "ộ": 0xE9,
        "ơ": 0xAC, "ờ": 0xEA, "ở": 0xEB, "ỡ": 0xEC, "ớ": 0xED, "ợ": 0xEE,
        "ù": 0xEF, "ủ": 0xF1, "ũ": 0xF2, "ú": 0xF3, "ụ": 0xF4,
        "ư": 0xAD, "ừ": 0xF5, "ử": 0xF6, "ữ": 0xF7, "ứ": 0xF8, "ự": 0xF9,
        "ỳ": 0xFA, "ỷ": 0xFB, "ỹ": 0xFC, "ý": 0xFD, "ỵ": 0xFE,
        "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7,
    ]

    /// Each lowercase letter's VNI bytes, written as the windows-1252 text they show as.
    private static let vniLowercase: [Character: [UInt8]] = {
        let chart: KeyValuePairs<Character, String> = [
            "á": "aù", "à": "aø", "ả": "aû", "ã": "aõ", "ạ": "aï",
            "ă": "aê", "ắ": "aé", "ằ": "aè", "ẳ": "aú", "ẵ": "aü", "ặ": "aë",
            "â": "aâ", "ấ": "aá", "ầ": "aà", "ẩ": "aå", "ẫ": "aã", "ậ": "aä",
            "đ": "ñ",
            "é": "eù", "è": "eø", "ẻ": "eû", "ẽ": "eõ", "ẹ": "eï",
            "ê": "eâ", "ế": "eá", "ề": "eà", "ể": "eå", "ễ": "eã", "ệ": "eä",
            "í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò",
            "ó": "où", "ò": "oø", "ỏ": "oû", "õ": "oõ", "ọ": "oï",
            "ô": "oâ", "ố": "oá", "ồ": "oà", "ổ": "oå", "ỗ": "oã", "ộ": "oä",
            "ơ": "ô", "ớ": "ôù", "ờ": "ôø", "ở": "ôû", "ỡ": "ôõ", "ợ": "ôï",
            "ú": "uù", "ù": "uø", "ủ": "uû", "ũ": "uõ", "ụ": "uï",
            "ư": "ö", "ứ": "öù", "ừ": "öø", "ử": "öû", "ữ": "öõ", "ự": "öï",
            "ý": "yù", "ỳ": "yø", "ỷ": "yû", "ỹ": "yõ", "ỵ": "î",
        ]
        return Dictionary(uniqueKeysWithValues: chart.map { letter, shown in
            (letter, shown.unicodeScalars.map { UInt8($0.value) })
        })
    }()
}
