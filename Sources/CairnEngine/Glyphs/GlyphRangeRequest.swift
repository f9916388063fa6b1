import CairnCore
import CairnRender
import Foundation

/// A glyph range as MapLibre asks for it: `/fonts/{fontstack}/{start}-{end}.pbf`, the font stack
/// being the style's `text-font` names joined with commas.
public struct GlyphRangeRequest: Sendable, Hashable {
    /// The font names, in order.
    public let fontstack: [String]
    /// The first code point, a multiple of 256.
    public let start: Int

    static let maxNames = 8
    static let maxNameLength = 100

    public var end: Int { start + GlyphRangeRenderer.rangeSize - 1 }
    /// The stack as MapLibre names it (`"Noto Sans Regular,Arial Unicode MS Regular"`).
    public var fontstackName: String { fontstack.joined(separator: ",") }

    /// - Parameters:
    ///   - fontstack: the URL's font stack segment (percent-encoded or not).
    ///   - range: `{start}-{end}` (without `.pbf`).
    /// - Throws: `EngineError(.badRequest)` saying what was expected.
    public init(fontstack: String, range: String) throws(EngineError) {
        let decoded = fontstack.contains("%") ? fontstack.removingPercentEncoding : fontstack
        guard let decoded else {
            throw EngineError(.badRequest, "malformed font stack in the URL: invalid percent-encoding; expected /fonts/{font names joined with commas}/{start}-{end}.pbf")
        }
        let names = decoded.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !names.isEmpty, names.count <= Self.maxNames else {
            throw EngineError(.badRequest, "malformed font stack: \(names.count) font names; expected 1 to \(Self.maxNames) names joined with commas")
        }
        for name in names {
            guard !name.isEmpty, name.count <= Self.maxNameLength,
                  name.unicodeScalars.allSatisfy({ !$0.properties.generalCategory.isControlOrFormat }) else {
                throw EngineError(.badRequest, "malformed font stack: each font name must be 1 to \(Self.maxNameLength) printable characters, e.g. /fonts/Noto Sans Regular/0-255.pbf")
            }
        }
        let bounds = range.split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count == 2,
              let start = TileAddress.number(String(bounds[0]), maxDigits: 5), let end = TileAddress.number(String(bounds[1]), maxDigits: 5),
              start % GlyphRangeRenderer.rangeSize == 0, start <= GlyphRangeRenderer.maxStart,
              end == start + GlyphRangeRenderer.rangeSize - 1 else {
            throw EngineError(.badRequest, "malformed glyph range; expected {start}-{end} with start a multiple of 256 from 0 to 65280 and end = start + 255 (e.g. 0-255, 7680-7935)")
        }
        self.fontstack = names
        self.start = start
    }
}

private extension Unicode.GeneralCategory {
    var isControlOrFormat: Bool {
        switch self {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned, .privateUse: return true
        default: return false
        }
    }
}
