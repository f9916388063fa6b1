import Foundation

/// The committed data the reader tests use: `<repository>/data` and the fixtures beside the tests.
/// Nothing outside the repository is read.
enum RepositoryData {
    /// This file → Tests/CairnSourcesTests → Tests → repository root.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `<repository>/data/<name>`.
    static func data(_ name: String) -> String { root.appendingPathComponent("data").appendingPathComponent(name).path }
}
