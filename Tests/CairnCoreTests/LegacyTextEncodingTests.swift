import CairnCore
import CairnTestSupport
import Foundation
import Testing

/// Legacy Vietnamese encodings decode to NFC. Bytes come from `VietnameseLegacyEncoder`'s tables
/// (and, in the interop tier, from glibc's iconv), never from the code under test.
@Suite struct LegacyTextEncodingTests {
    /// Every Vietnamese letter, lowercase: each vowel bare and with its five tones (acute, grave,
    /// hook above, tilde, dot below), then đ.
    static let lowercaseLetters = Array(
        "aáàảãạ" + "ăắằẳẵặ" + "âấầẩẫậ" + "eéèẻẽẹ" + "êếềểễệ" + "iíìỉĩị"
            + "oóòỏõọ" + "ôốồổỗộ" + "ơớờởỡợ" + "uúùủũụ" + "ưứừửữự" + "yýỳỷỹỵ" + "đ"
    ).filter { !$0.isASCII }
    static let uppercaseLetters = lowercaseLetters.map { Character($0.uppercased()) }
    /// TCVN3 has uppercase letters only for the bare modified vowels and Đ.
    static let tcvn3Letters = lowercaseLetters + Array("ĂÂÊÔƠƯĐ")

    static let haiPhongNames = [
        "Hải Phòng", "Hồng Bàng", "Ngô Quyền", "Lê Chân", "Đồ Sơn", "Kiến Thụy", "Thủy Nguyên", "An Dương",
        "Cát Hải", "Bạch Long Vĩ", "Tiên Lãng", "Vĩnh Bảo", "Dương Kinh", "Hải An", "Kiến An", "An Lão",
    ]

    /// Swift's `==` on strings is canonical equivalence, so NFC is checked scalar by scalar.
    private func expectNFC(_ decoded: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let want = expected.precomposedStringWithCanonicalMapping
        #expect(decoded.unicodeScalars.map(\.value) == want.unicodeScalars.map(\.value),
                "\"\(decoded)\" is not \"\(want)\" in NFC", sourceLocation: sourceLocation)
    }

    @Test func letterCounts() {
        #expect(Self.lowercaseLetters.count == 67)
        #expect(Set(Self.lowercaseLetters + Self.uppercaseLetters).count == 134)
    }

    @Test func namesAreRecognised() {
        #expect(LegacyTextEncoding(name: "TCVN3") == .tcvn3)
        #expect(LegacyTextEncoding(name: "vni") == .vni)
        #expect(LegacyTextEncoding(name: "windows-1258") == .cp1258)
        #expect(LegacyTextEncoding(name: "cp1258") == .cp1258)
        #expect(LegacyTextEncoding(name: "UTF-8") == .utf8)
        for unknown in ["", "latin1", "windows-1252", "tcvn", "vni-win", "utf-16", "viscii", " tcvn3"] {
            #expect(LegacyTextEncoding(name: unknown) == nil, "\(unknown)")
        }
    }

    @Test func tcvn3EveryLetter() {
        for letter in Self.tcvn3Letters {
            let bytes = VietnameseLegacyEncoder.tcvn3(String(letter))
            #expect(bytes.count == 1, "\(letter)")
            expectNFC(LegacyTextEncoding.tcvn3.decode(bytes), String(letter))
        }
    }

    @Test func vniEveryLetter() {
        for letter in Self.lowercaseLetters + Self.uppercaseLetters {
            expectNFC(LegacyTextEncoding.vni.decode(VietnameseLegacyEncoder.vni(String(letter))), String(letter))
        }
    }

    @Test func vniUppercaseMarksDifferFromLowercase() {
        #expect(VietnameseLegacyEncoder.vni("á") == [0x61, 0xF9])
        #expect(VietnameseLegacyEncoder.vni("Á") == [0x41, 0xD9])
        expectNFC(LegacyTextEncoding.vni.decode([0x41, 0xD9]), "Á")
        expectNFC(LegacyTextEncoding.vni.decode([0x61, 0xF9]), "á")
        // A mark that follows no vowel is the windows-1252 character it shows as.
        expectNFC(LegacyTextEncoding.vni.decode([0x62, 0xF9]), "bù")
    }

    @Test func cp1258EveryLetter() {
        for letter in Self.lowercaseLetters + Self.uppercaseLetters {
            expectNFC(LegacyTextEncoding.cp1258.decode(Self.windows1258(String(letter))), String(letter))
        }
    }

    @Test func cp1258CombiningTonesCompose() {
        // "Hải" as ha + hook (0xD2) + i; "Ờ" as Ơ (0xD5) + grave (0xCC).
        expectNFC(LegacyTextEncoding.cp1258.decode([0x48, 0x61, 0xD2, 0x69]), "Hải")
        expectNFC(LegacyTextEncoding.cp1258.decode([0xD5, 0xCC]), "Ờ")
        expectNFC(LegacyTextEncoding.cp1258.decode([0x80, 0xFE]), "€₫")
    }

    @Test(arguments: haiPhongNames)
    func namesInEveryEncoding(name: String) {
        expectNFC(LegacyTextEncoding.tcvn3.decode(VietnameseLegacyEncoder.tcvn3(name)), name)
        expectNFC(LegacyTextEncoding.vni.decode(VietnameseLegacyEncoder.vni(name)), name)
        expectNFC(LegacyTextEncoding.cp1258.decode(Self.windows1258(name)), name)
        expectNFC(LegacyTextEncoding.utf8.decode(Array(name.utf8)), name)
        let decomposed = name.decomposedStringWithCanonicalMapping
        expectNFC(LegacyTextEncoding.utf8.decode(Array(decomposed.utf8)), name)
    }

    @Test func utf8ComposesAndReplacesInvalidBytes() {
        let decoded = LegacyTextEncoding.utf8.decode(Array("a\u{0301}".utf8))
        #expect(decoded.unicodeScalars.map(\.value) == [0xE1])
        #expect(LegacyTextEncoding.utf8.decode([0x61, 0xFF, 0x62]).unicodeScalars.map(\.value) == [0x61, 0xFFFD, 0x62])
        #expect(LegacyTextEncoding.utf8.decode([0xC3]).unicodeScalars.map(\.value) == [0xFFFD])
        #expect(LegacyTextEncoding.utf8.decode([]) == "")
    }

    @Test(arguments: haiPhongNames)
    func redecodeWindows1252Text(name: String) throws {
        for (encoding, bytes) in [(LegacyTextEncoding.tcvn3, VietnameseLegacyEncoder.tcvn3(name)),
                                  (.vni, VietnameseLegacyEncoder.vni(name)), (.cp1258, Self.windows1258(name))] {
            // What a GeoJSON written by a careless conversion holds: each byte as its windows-1252 character.
            let shown = try #require(String(bytes: bytes, encoding: .windowsCP1252))
            expectNFC(encoding.redecode(shown), name)
            // ... or as its Latin-1 character.
            let latin1 = String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
            expectNFC(encoding.redecode(latin1), name)
        }
    }

    @Test func redecodeMapsWindows1252PunctuationBack() {
        // TCVN3 0x80 (À in VN2) shown as "€" by windows-1252, or as U+0080 by Latin-1.
        expectNFC(LegacyTextEncoding.tcvn3.redecode("\u{20AC}"), "À")
        expectNFC(LegacyTextEncoding.tcvn3.redecode("\u{80}"), "À")
    }

    @Test func redecodeLeavesRealUnicodeAlone() {
        for name in Self.haiPhongNames where name.unicodeScalars.contains(where: { $0.value > 0xFF }) {
            for encoding in LegacyTextEncoding.allCases {
                expectNFC(encoding.redecode(name), name)
                expectNFC(encoding.redecode(name.decomposedStringWithCanonicalMapping), name)
            }
        }
        expectNFC(LegacyTextEncoding.utf8.redecode("Ha\u{0309}i"), "Hải")
        #expect(LegacyTextEncoding.tcvn3.redecode("Haiphong 2024") == "Haiphong 2024")
    }

    // MARK: - glibc's iconv as an independent reader (interop tier)

    @Test(.interop) func tcvn3AgreesWithIconvOnEveryHighByte() throws {
        for byte in UInt8(0x80)...UInt8(0xFF) {
            let expected = try Self.iconvToText(from: "TCVN5712-1", [byte])
            expectNFC(LegacyTextEncoding.tcvn3.decode([byte]), expected)
        }
    }

    @Test(.interop) func testEncoderAgreesWithIconv() throws {
        for letter in Self.tcvn3Letters {
            #expect(try Self.iconv(from: "UTF-8", to: "TCVN5712-1", Array(String(letter).utf8)) == VietnameseLegacyEncoder.tcvn3(String(letter)),
                    "\(letter)")
        }
        for letter in Self.lowercaseLetters + Self.uppercaseLetters {
            let cp1258 = try Self.iconv(from: "UTF-8", to: "CP1258", Array(String(letter).utf8))
            expectNFC(try Self.iconvToText(from: "CP1258", cp1258), String(letter))
            expectNFC(LegacyTextEncoding.cp1258.decode(cp1258), String(letter))
        }
    }

    @Test(.interop) func cp1258AgreesWithIconvOnEveryDefinedByte() throws {
        for byte in UInt8(0x80)...UInt8(0xFF) {
            guard let expected = try? Self.iconvToText(from: "CP1258", [byte]) else { continue } // undefined in glibc
            expectNFC(LegacyTextEncoding.cp1258.decode([byte]), expected)
        }
    }

    // MARK: - Helpers

    /// windows-1258 the way Microsoft's converter writes Vietnamese: the precomposed letter when the
    /// code page has it, else the letter without its tone followed by a combining tone byte.
    static func windows1258(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        for character in text.precomposedStringWithCanonicalMapping {
            if let byte = windows1258Letters[character] ?? character.asciiValue {
                out.append(byte)
                continue
            }
            // NFD orders a dot below before a breve or circumflex ("ặ" is a, U+0323, U+0306): find the tone.
            var scalars = Array(String(character).decomposedStringWithCanonicalMapping.unicodeScalars)
            let toneIndex = scalars.firstIndex { windows1258Tones[$0.value] != nil }
            let tone = toneIndex.map { scalars.remove(at: $0) }
            let toneless = String(String.UnicodeScalarView(scalars)).precomposedStringWithCanonicalMapping
            guard let tone, let toneByte = windows1258Tones[tone.value], let first = toneless.first,
                  let base = windows1258Letters[first] ?? first.asciiValue
            else { preconditionFailure("windows-1258 cannot write \(character)") }
            out += [base, toneByte]
        }
        return out
    }

    /// Combining tones: grave, hook above, tilde, acute, dot below.
    private static let windows1258Tones: [UInt32: UInt8] = [0x300: 0xCC, 0x309: 0xD2, 0x303: 0xDE, 0x301: 0xEC, 0x323: 0xF2]

    /// The non-ASCII letters windows-1258 has, from Microsoft's code page chart.
    private static let windows1258Letters: [Character: UInt8] = [
        "À": 0xC0, "Á": 0xC1, "Â": 0xC2, "Ă": 0xC3, "È": 0xC8, "É": 0xC9, "Ê": 0xCA, "Í": 0xCD, "Đ": 0xD0,
        "Ó": 0xD3, "Ô": 0xD4, "Ơ": 0xD5, "Ù": 0xD9, "Ú": 0xDA, "Ư": 0xDD,
        "à": 0xE0, "á": 0xE1, "â": 0xE2, "ă": 0xE3, "è": 0xE8, "é": 0xE9, "ê": 0xEA, "í": 0xED, "đ": 0xF0,
        "ó": 0xF3, "ô": 0xF4, "ơ": 0xF5, "ù": 0xF9, "ú": 0xFA, "ư": 0xFD,
    ]

    struct IconvFailed: Error { let output: String }

    static func iconv(from source: String, to target: String, _ bytes: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        process.arguments = ["-f", source, "-t", target]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(bytes))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw IconvFailed(output: String(decoding: message, as: UTF8.self)) }
        return Array(data)
    }

    static func iconvToText(from source: String, _ bytes: [UInt8]) throws -> String {
        String(decoding: try iconv(from: source, to: "UTF-8", bytes), as: UTF8.self)
    }
}
