/// How an icon is stretched around its label's text (`icon-text-fit`).
public enum IconTextFit: String, Sendable, CaseIterable {
    case none
    case width
    case height
    case both
}
