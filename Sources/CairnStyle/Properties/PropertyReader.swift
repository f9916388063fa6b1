import CairnCore

/// Reads the properties of one `paint` or `layout` object, remembering which keys were used
/// (the rest become warnings) and which feature attributes the properties read.
final class PropertyReader {
    let path: String
    private let members: [JSONMember]
    private var used: Set<String> = []
    private(set) var attributeKeys: Set<String> = []

    init(_ json: JSONValue?, at path: String) throws {
        self.path = path
        switch json {
        case nil, .null?: members = []
        case .object?: members = json?.objectMembers ?? []
        case let other?: throw StyleIssue(path, "expected object, got \(other.abbreviated)")
        }
    }

    func raw(_ name: String) -> JSONValue? {
        used.insert(name)
        return members.first(where: { $0.key == name })?.value
    }

    /// The property, or its default when absent.
    func read<T>(_ name: String, _ kind: PropertyKind<T>) throws -> StyleProperty<T> {
        try readIfPresent(name, kind) ?? StyleProperty(constant: kind.defaultValue)
    }

    /// The property, or nil when absent (for properties without a spec default).
    func readIfPresent<T>(_ name: String, _ kind: PropertyKind<T>) throws -> StyleProperty<T>? {
        guard let json = raw(name), json != .null else { return nil }
        let property = try PropertyCompiler.compile(json, at: path.jsonMember(name), kind: kind)
        attributeKeys.formUnion(property.attributeKeys)
        return property
    }

    /// JSON paths of the properties nobody read.
    var unusedPaths: [String] {
        members.filter { !used.contains($0.key) }.map { path.jsonMember($0.key) }
    }
}
