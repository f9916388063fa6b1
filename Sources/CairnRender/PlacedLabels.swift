/// Labels that won their place (`Canvas.placeLabels()`), in drawing order. Their text layouts belong
/// to the thread that placed them: draw them on that thread.
public struct PlacedLabels {
    let labels: [LabelCandidate]

    /// How many labels are drawn (on the whole canvas).
    public var count: Int { labels.count }
}
