/// Where a label goes (MapLibre `symbol-placement`: at points, repeated along lines, or once at the
/// middle of each line). Line caps and joins, text anchors and justification are CairnCore's
/// vocabulary, shared with the style.
public enum TextPlacement: Sendable { case point, line, lineCenter }
