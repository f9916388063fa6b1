/// What labels rotate with (`text-rotation-alignment`).
public enum TextRotationAlignment: String, Sendable, CaseIterable {
    case map
    case viewport
    case viewportGlyph = "viewport-glyph"
    case auto
}
