/// Why a style could not be loaded. The description is
/// `<file path as given>: <JSON path>: <what was expected>`, e.g.
/// `styles/city.json: layers[4].paint.line-width: expected number or expression, got "wide"`.
public struct StyleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure, for callers that react differently to each.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Hashable, Sendable {
            case unreadableFile = "unreadable file"
            case malformedJSON = "malformed JSON"
            case invalidStyle = "invalid style"
        }

        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        /// The file could not be read.
        public static let unreadableFile = Code(.unreadableFile)
        /// The file is not JSON; `location` gives line, column and byte offset.
        public static let malformedJSON = Code(.malformedJSON)
        /// The JSON is not a valid style; `location` is the JSON path of the offending value.
        public static let invalidStyle = Code(.invalidStyle)

        public var description: String { kind.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// The style file path exactly as the caller gave it.
    public var file: String
    /// A JSON path such as `layers[4].paint.line-width`, or a text position for malformed JSON.
    public var location: String
    /// What was expected and what was found.
    public var message: String

    public init(code: Code, file: String, location: String, message: String) {
        self.code = code
        self.file = file
        self.location = location
        self.message = message
    }

    public var description: String {
        location.isEmpty ? "\(file): \(message)" : "\(file): \(location): \(message)"
    }
}

/// A problem found while compiling part of a style, before the file path is known to the code
/// that found it; `Style.parse` turns it into a `StyleError`.
struct StyleIssue: Error {
    var path: String
    var message: String

    init(_ path: String, _ message: String) {
        self.path = path
        self.message = message
    }
}

extension String {
    /// The JSON path of the member `key` of the value at this path.
    func jsonMember(_ key: String) -> String { isEmpty ? key : self + "." + key }

    /// The JSON path of the element `index` of the array at this path.
    func jsonElement(_ index: Int) -> String { self + "[\(index)]" }
}
