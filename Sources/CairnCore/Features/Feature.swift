/// A geometry with its attributes, as read from a layer.
public struct Feature: Sendable {
    public var id: Int64?
    public var geometry: Geometry
    public var properties: [String: PropertyValue]

    public init(id: Int64? = nil, geometry: Geometry, properties: [String: PropertyValue] = [:]) {
        self.id = id
        self.geometry = geometry
        self.properties = properties
    }
}
