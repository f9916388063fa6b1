/// Labels that won their place (`Canvas.placeLabels()`), in drawing order. Their text layouts belong
/// to the thread that placed them: draw them on that thread.
public struct PlacedLabels {
    let symbols: [PlacedSymbol]

    /// How many symbols are drawn (on the whole canvas).
    public var count: Int { symbols.count }
}

/// One placed symbol: its text (unless only its icon won its place) and its icon, if it has one.
struct PlacedSymbol {
    let style: TextSymbolizer
    /// Where the text goes (the option chosen among its variable anchors).
    let option: LabelOption
    let icon: PlacedIcon?
    let drawsText: Bool
}
