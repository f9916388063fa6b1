/// The length and distance symbols of deflate (RFC 1951, 3.2.5): each symbol stands for a base value
/// plus as many extra bits as the table gives.
enum DeflateSymbols {
    static let lengthBase: [UInt16] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
                                       131, 163, 195, 227, 258]
    static let lengthExtraBits: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase: [UInt16] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
                                         2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtraBits: [UInt8] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    /// The length symbol (0–28, to add to 257) of each match length 3–258.
    static let lengthCode: [UInt8] = {
        var codes = [UInt8](repeating: 0, count: 259)
        for length in 3...258 { codes[length] = UInt8(slowCode(of: length, bases: lengthBase)) }
        return codes
    }()

    /// For each match length 3–258: its symbol (0–28) in bits 0–7, the number of extra bits in bits
    /// 8–15 and their value in bits 16–23, so writing a length takes one lookup.
    static let lengthEntry: [UInt32] = (0...258).map { length in
        guard length >= 3 else { return 0 }
        let symbol = Int(lengthCode[length])
        return UInt32(symbol) | UInt32(lengthExtraBits[symbol]) << 8 | UInt32(length - Int(lengthBase[symbol])) << 16
    }

    /// For each distance symbol: its base in bits 0–15 and its number of extra bits in bits 16–23.
    static let distanceEntry: [UInt32] = (0..<30).map { UInt32(distanceBase[$0]) | UInt32(distanceExtraBits[$0]) << 16 }

    /// The distance symbol (0–29) of a distance `d` of 1–32768 is `nearDistanceCode[d - 1]` up to 512,
    /// else `farDistanceCode[(d - 1) >> 8]`.
    static let nearDistanceCode: [UInt8] = (1...512).map { UInt8(slowCode(of: $0, bases: distanceBase)) }
    static let farDistanceCode: [UInt8] = (0..<128).map { UInt8(slowCode(of: $0 * 256 + 1, bases: distanceBase)) }

    private static func slowCode(of value: Int, bases: [UInt16]) -> Int {
        var code = 0
        while code + 1 < bases.count && Int(bases[code + 1]) <= value { code += 1 }
        return code
    }
}
