/// Alignment of the lines of a multi-line label (`text-justify`).
public enum TextJustify: String, Sendable, CaseIterable {
    case auto
    case left
    case center
    case right
}
