internal import CairnCairo

/// A MapLibre font stack ("Noto Sans Regular", "Open Sans Bold Italic", …) read as Pango font families,
/// weight and style: trailing style words are split off each name.
struct FontStack: Hashable {
    static let fallbackFamily = "DejaVu Sans"

    var families: [String]
    var weight: PangoFontWeight
    var style: PangoFontStyle

    init(names: [String]) {
        var families: [String] = []
        var weight: PangoFontWeight?
        var style: PangoFontStyle?
        for name in names {
            var words = name.split(separator: " ").map(String.init)
            var nameWeight: PangoFontWeight?
            var nameStyle: PangoFontStyle?
            while let last = words.last, words.count > 1 {
                let word = last.lowercased()
                if let w = Self.weights[word] {
                    nameWeight = nameWeight ?? w
                } else if word == "italic" {
                    nameStyle = .italic
                } else if word == "oblique" {
                    nameStyle = .oblique
                } else {
                    break
                }
                words.removeLast()
            }
            let family = words.joined(separator: " ")
            if !family.isEmpty && !families.contains(family) { families.append(family) }
            // The first name decides weight and style: later names are only glyph fallbacks.
            if weight == nil && style == nil {
                weight = nameWeight ?? .normal
                style = nameStyle ?? .normal
            }
        }
        if !families.contains(Self.fallbackFamily) { families.append(Self.fallbackFamily) }
        self.families = families
        self.weight = weight ?? .normal
        self.style = style ?? .normal
    }

    private static let weights: [String: PangoFontWeight] = [
        "thin": .thin, "hairline": .thin, "extralight": .ultraLight, "ultralight": .ultraLight, "light": .light,
        "semilight": .semiLight, "book": .normal, "regular": .normal, "normal": .normal, "medium": .medium,
        "semibold": .semiBold, "demibold": .semiBold, "bold": .bold, "extrabold": .ultraBold,
        "ultrabold": .ultraBold, "black": .heavy, "heavy": .heavy,
    ]
}
