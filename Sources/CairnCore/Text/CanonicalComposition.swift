import Foundation

/// Unicode NFC, the one form Cairn keeps attribute text in, so that a label shapes and a filter
/// compares the same whether its source wrote "á" or "a" + U+0301.
enum CanonicalComposition {
    /// `text` in NFC. Text whose scalars all lie below U+0300 or in Latin Extended Additional
    /// (U+1E00–U+1EFF, every precomposed Vietnamese letter) is already NFC — none of them composes
    /// with a neighbour or decomposes — and is returned without a trip through Foundation.
    static func nfc(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.value < 0x300 || (0x1E00..<0x1F00).contains($0.value) }) {
            return text
        }
        return text.precomposedStringWithCanonicalMapping
    }
}
