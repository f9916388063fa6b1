/// How line ends are drawn (`line-cap`).
public enum LineCap: String, Sendable, CaseIterable {
    case butt
    case round
    case square
}
