/// Which part of a label is placed at its anchor point (`text-anchor`).
public enum TextAnchor: String, Sendable, CaseIterable {
    case center
    case left
    case right
    case top
    case bottom
    case topLeft = "top-left"
    case topRight = "top-right"
    case bottomLeft = "bottom-left"
    case bottomRight = "bottom-right"
}
