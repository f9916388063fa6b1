/// How a line ends (MapLibre `line-cap`).
public enum LineCap: Sendable { case butt, round, square }

/// How line segments meet (MapLibre `line-join`).
public enum LineJoin: Sendable { case bevel, round, miter }

/// Which part of the text box sits at the anchor point (MapLibre `text-anchor`).
public enum TextAnchor: Sendable, CaseIterable {
    case center, left, right, top, bottom, topLeft, topRight, bottomLeft, bottomRight
}

/// Alignment of the lines of wrapped text (MapLibre `text-justify`); `auto` follows the anchor.
public enum TextJustify: Sendable { case auto, left, center, right }

/// Where a label goes (MapLibre `symbol-placement`; `line-center` maps to `line`).
public enum TextPlacement: Sendable { case point, line }
