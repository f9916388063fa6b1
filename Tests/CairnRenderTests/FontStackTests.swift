@testable import CairnRender
import Testing

@Suite struct FontStackTests {
    @Test func namesSplitIntoFamilyWeightAndStyle() {
        let regular = FontStack(names: ["Noto Sans Regular"])
        #expect(regular.families == ["Noto Sans", "DejaVu Sans"])
        #expect(regular.weight == .normal && regular.style == .normal)

        let bold = FontStack(names: ["Open Sans Bold", "Arial Unicode MS Regular"])
        #expect(bold.families == ["Open Sans", "Arial Unicode MS", "DejaVu Sans"])
        #expect(bold.weight == .bold)

        let italic = FontStack(names: ["Noto Sans Bold Italic"])
        #expect(italic.families.first == "Noto Sans" && italic.weight == .bold && italic.style == .italic)

        let book = FontStack(names: ["DejaVu Sans Book"])
        #expect(book.families == ["DejaVu Sans"] && book.weight == .normal)
    }

    @Test func emptyStackFallsBackToDejaVu() {
        #expect(FontStack(names: []).families == ["DejaVu Sans"])
    }
}
