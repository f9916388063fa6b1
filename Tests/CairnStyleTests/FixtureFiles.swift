import CairnCore
import Foundation
@testable import CairnStyle

/// Locates and reads the test fixtures beside this file.
enum FixtureFiles {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Paths relative to `root` of the files under `folder` ending in `suffix`, sorted.
    static func list(_ folder: String, suffix: String) -> [String] {
        let base = root.appendingPathComponent(folder)
        guard let enumerator = FileManager.default.enumerator(atPath: base.path) else { return [] }
        var paths: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if relative.hasSuffix(suffix) { paths.append(folder + "/" + relative) }
        }
        return paths.sorted()
    }

    static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: root.appendingPathComponent(relativePath))
    }

    static func json(_ relativePath: String) throws -> JSONValue {
        try JSONParser.parse([UInt8](data(relativePath)))
    }
}
