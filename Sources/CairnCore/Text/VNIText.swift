/// VNI (the Windows VNI fonts): a Vietnamese vowel is its ASCII base letter followed by one mark
/// byte carrying the circumflex or breve and the tone ("aù" is á, "aá" is ấ); ơ, ư, đ and most
/// toned i's are single bytes. Every byte is a windows-1252 character, so VNI text stays readable
/// as Latin-1 gibberish, and its uppercase marks are the windows-1252 uppercase of the lowercase
/// ones ("AÙ" is Á), which keeps the text valid through a Latin-1 case change.
enum VNIText {
    static func decode(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if index + 1 < bytes.count, let letter = pairs[UInt16(byte) << 8 | UInt16(bytes[index + 1])] {
                scalars.append(letter)
                index += 2
                continue
            }
            if byte < 0x80 {
                scalars.append(Unicode.Scalar(byte))
            } else {
                scalars.append(Unicode.Scalar(singles[Int(byte) - 0x80]) ?? "\u{FFFD}")
            }
            index += 1
        }
        return String(scalars)
    }

    /// Each lowercase vowel with its tones, in the order the mark bytes below list them:
    /// none, acute, grave, hook above, tilde, dot below.
    private static let toneRows: [(base: UInt8, modifier: Modifier, letters: String)] = [
        (0x61, .none, "aáàảãạ"), (0x61, .breve, "ăắằẳẵặ"), (0x61, .circumflex, "âấầẩẫậ"),
        (0x65, .none, "eéèẻẽẹ"), (0x65, .circumflex, "êếềểễệ"),
        (0x69, .none, "iíìỉĩị"),
        (0x6F, .none, "oóòỏõọ"), (0x6F, .circumflex, "ôốồổỗộ"), (0xF4, .none, "ơớờởỡợ"),
        (0x75, .none, "uúùủũụ"), (0xF6, .none, "ưứừửữự"),
        (0x79, .none, "yýỳỷỹỵ"),
    ]

    private enum Modifier { case none, breve, circumflex }

    /// The lowercase mark bytes of each modifier, per tone (none, acute, grave, hook, tilde, dot);
    /// nil where the bare letter needs no mark. Uppercase marks are these minus 0x20.
    private static func marks(_ modifier: Modifier) -> [UInt8?] {
        switch modifier {
        case .none: [nil, 0xF9, 0xF8, 0xFB, 0xF5, 0xEF]
        case .circumflex: [0xE2, 0xE1, 0xE0, 0xE5, 0xE3, 0xE4]
        case .breve: [0xEA, 0xE9, 0xE8, 0xFA, 0xFC, 0xEB]
        }
    }

    /// Letters written as one byte (lowercase; uppercase is the byte minus 0x20): ơ ư đ, the toned
    /// i's VNI gives a byte of their own, and ỵ.
    private static let singleLetters: [(byte: UInt8, letter: Unicode.Scalar)] = [
        (0xF4, "ơ"), (0xF6, "ư"), (0xF1, "đ"),
        (0xED, "í"), (0xEC, "ì"), (0xE6, "ỉ"), (0xF3, "ĩ"), (0xF2, "ị"), (0xEE, "ỵ"),
    ]

    /// Base byte << 8 | mark byte → letter. A base of either case takes the marks of either case
    /// (the font drew them alike), and the case of the letter follows the base; i and y also take
    /// the plain tone marks a font draws over them, though VNI's own keyboard gives them single bytes.
    private static let pairs: [UInt16: Unicode.Scalar] = {
        var pairs: [UInt16: Unicode.Scalar] = [:]
        for row in toneRows {
            let lower = Array(row.letters.unicodeScalars)
            let upper = lower.map { Unicode.Scalar(String($0).uppercased())! }
            let upperBase = row.base - 0x20
            for (tone, mark) in marks(row.modifier).enumerated() {
                guard let mark else { continue }
                for markByte in [mark, mark - 0x20] {
                    pairs[UInt16(row.base) << 8 | UInt16(markByte)] = lower[tone]
                    pairs[UInt16(upperBase) << 8 | UInt16(markByte)] = upper[tone]
                }
            }
        }
        return pairs
    }()

    /// Bytes 0x80–0xFF on their own: windows-1252, except VNI's single-byte letters.
    private static let singles: [UInt32] = {
        var table = WindowsCodePages.windows1252C1 + (0xA0...0xFF).map { UInt32($0) }
        for (byte, letter) in singleLetters {
            table[Int(byte) - 0x80] = letter.value
            table[Int(byte) - 0xA0] = Unicode.Scalar(String(letter).uppercased())!.value
        }
        return table
    }()
}
