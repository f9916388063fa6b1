/// Where a label goes (MapLibre `symbol-placement`; `line-center` maps to `line`). Line caps and
/// joins, text anchors and justification are CairnCore's vocabulary, shared with the style.
public enum TextPlacement: Sendable { case point, line }
