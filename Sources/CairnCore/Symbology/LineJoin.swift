/// How line corners are drawn (`line-join`).
public enum LineJoin: String, Sendable, CaseIterable {
    case bevel
    case round
    case miter
}
