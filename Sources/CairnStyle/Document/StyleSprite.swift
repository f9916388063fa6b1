import CairnCore

/// One entry of the style's `sprite`: a string is the sprite `default`; MapLibre's array form names several,
/// whose images are then addressed as `id:name` (except those of `default`).
public struct StyleSprite: Sendable, Equatable {
    public let id: String
    /// As written: a path relative to the style file, an absolute path or a URL, without `.json`/`.png`.
    public let url: String

    public init(id: String, url: String) {
        self.id = id
        self.url = url
    }

    /// The image id a layer uses for `name` of this sprite.
    public func imageID(_ name: String) -> String {
        id == "default" ? name : id + ":" + name
    }

    /// Reads the root `sprite` value: a string or an array of `{"id", "url"}` objects.
    static func parse(_ json: JSONValue?) throws -> [StyleSprite] {
        guard let json else { return [] }
        switch json {
        case .string(let url):
            guard !url.isEmpty else { throw StyleIssue("sprite", "expected a sprite path or URL, got an empty string") }
            return [StyleSprite(id: "default", url: url)]
        case .array(let items):
            var sprites: [StyleSprite] = []
            for (index, item) in items.enumerated() {
                let path = "sprite".jsonElement(index)
                guard item.objectMembers != nil else { throw StyleIssue(path, "expected {\"id\": …, \"url\": …}, got \(item.abbreviated)") }
                guard case .string(let id)? = item["id"], !id.isEmpty else {
                    throw StyleIssue(path.jsonMember("id"), "expected a non-empty string")
                }
                guard case .string(let url)? = item["url"], !url.isEmpty else {
                    throw StyleIssue(path.jsonMember("url"), "expected a non-empty string")
                }
                guard !sprites.contains(where: { $0.id == id }) else {
                    throw StyleIssue(path.jsonMember("id"), "duplicate sprite id \(JSONValue.quote(id))")
                }
                sprites.append(StyleSprite(id: id, url: url))
            }
            return sprites
        default:
            throw StyleIssue("sprite", "expected a string or an array of {\"id\", \"url\"}, got \(json.abbreviated)")
        }
    }
}
