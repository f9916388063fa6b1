import Foundation

/// Paths of fixtures and of the repository, found from this file's location.
enum TestPaths {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let fixtures = testsFolder.appendingPathComponent("Fixtures")
    static let repositoryRoot = testsFolder.deletingLastPathComponent().deletingLastPathComponent()
    static let miniStyle = fixtures.appendingPathComponent("mini/style.json").path
    static let demoStyle = repositoryRoot.appendingPathComponent("styles/hai-phong.json").path

    /// A fresh folder under the system temporary directory.
    static func temporaryFolder(_ name: String = #function) -> String {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-\(safe)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Copies a fixture folder somewhere writable, for tests that edit files.
    static func copyOfMiniFixture() throws -> String {
        let folder = temporaryFolder()
        for name in ["style.json", "shapes.geojson", "places.geojson"] {
            try FileManager.default.copyItem(atPath: fixtures.appendingPathComponent("mini/\(name)").path, toPath: folder + "/" + name)
        }
        return folder
    }
}
