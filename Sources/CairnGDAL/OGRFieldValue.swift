/// One attribute as GDAL holds it. Text stays bytes: the source's `encoding` decides how to read it.
public enum OGRFieldValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    /// Strings, dates and lists, as GDAL formats them, undecoded.
    case text([UInt8])
}

/// A layer's attribute: its name and OGR field type name ("Integer", "Real", "String", "Date"…).
public struct OGRField: Sendable, Equatable {
    public var name: String
    public var typeName: String
}
