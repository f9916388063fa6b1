/// A problem in a configuration file, located by line and key path.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    /// e.g. `maps[1].style`
    public var keyPath: String
    public var message: String

    public init(file: String, line: Int?, keyPath: String, message: String) {
        self.file = file
        self.line = line
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        return keyPath.isEmpty ? "\(location): \(message)" : "\(location): \(keyPath): \(message)"
    }
}

/// Every problem found in one file, so a user fixes them all in one go.
public struct ConfigurationErrors: Error, Sendable, CustomStringConvertible {
    public var problems: [ConfigurationError]
    public var description: String { problems.map(\.description).joined(separator: "\n") }

    public init(problems: [ConfigurationError]) {
        self.problems = problems
    }

    /// The problems sorted by file, then line (problems without a line first), keeping the order
    /// in which they were found among equals — the order a user reads the file in.
    public func inLineOrder() -> ConfigurationErrors {
        let sorted = problems.enumerated().sorted { a, b in
            if a.element.file != b.element.file { return a.element.file < b.element.file }
            let (lineA, lineB) = (a.element.line ?? 0, b.element.line ?? 0)
            return lineA != lineB ? lineA < lineB : a.offset < b.offset
        }
        return ConfigurationErrors(problems: sorted.map(\.element))
    }
}
