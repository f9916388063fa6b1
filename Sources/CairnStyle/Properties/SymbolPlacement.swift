/// Where labels are placed (`symbol-placement`).
public enum SymbolPlacement: String, Sendable, CaseIterable {
    case point
    case line
    case lineCenter = "line-center"
}
