/// The layer types Cairn draws.
public enum StyleLayerType: String, Sendable, CaseIterable {
    case background
    case fill
    case line
    case circle
    case symbol
}
