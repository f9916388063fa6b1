import Foundation

/// Names one background job: an opaque random string (a lower-case UUID), so job ids
/// cannot be guessed or enumerated.
public struct JobID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// A new random id.
    public init() {
        rawValue = UUID().uuidString.lowercased()
    }

    /// An id received from a client; `nil` unless it has the shape of an id this type creates,
    /// so nothing a client sends is used as a key before it has been checked.
    public init?(_ text: some StringProtocol) {
        guard text.utf8.count == 36, let uuid = UUID(uuidString: String(text)) else { return nil }
        rawValue = uuid.uuidString.lowercased()
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = JobID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a job id"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
}
