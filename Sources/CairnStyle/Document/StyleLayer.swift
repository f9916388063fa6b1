import CairnCore

/// One layer of the style, with its properties compiled.
public struct StyleLayer: Sendable {
    public let id: String
    public let type: StyleLayerType
    /// Nil for background layers.
    public let source: String?
    public let sourceLayer: String?
    public let minzoom: Double?
    public let maxzoom: Double?
    /// `layout.visibility` is not "none".
    public let isVisible: Bool
    public let filter: Filter?
    /// Set for background layers only, and likewise for the other types.
    public let background: BackgroundProperties?
    public let fill: FillProperties?
    public let line: LineProperties?
    public let circle: CircleProperties?
    public let symbol: SymbolProperties?
    /// Every feature attribute the filter and the data-driven properties read (with the tokens
    /// of "{name}" text-field strings): what a source needs to load for this layer.
    public let requiredAttributes: Set<String>
    public let metadata: JSONValue?

    /// Whether the layer draws at a zoom: visible, and `minzoom <= zoom < maxzoom`.
    public func isVisible(atZoom zoom: Double) -> Bool {
        isVisible && zoom >= (minzoom ?? -.infinity) && zoom < (maxzoom ?? .infinity)
    }

    init(
        id: String, type: StyleLayerType, source: String?, sourceLayer: String?, minzoom: Double?, maxzoom: Double?,
        isVisible: Bool, filter: Filter?, background: BackgroundProperties? = nil, fill: FillProperties? = nil,
        line: LineProperties? = nil, circle: CircleProperties? = nil, symbol: SymbolProperties? = nil,
        requiredAttributes: Set<String>, metadata: JSONValue?
    ) {
        self.id = id
        self.type = type
        self.source = source
        self.sourceLayer = sourceLayer
        self.minzoom = minzoom
        self.maxzoom = maxzoom
        self.isVisible = isVisible
        self.filter = filter
        self.background = background
        self.fill = fill
        self.line = line
        self.circle = circle
        self.symbol = symbol
        self.requiredAttributes = requiredAttributes
        self.metadata = metadata
    }
}
