/// Case change applied to label text (`text-transform`).
public enum TextTransform: String, Sendable, CaseIterable {
    case none
    case uppercase
    case lowercase
}
