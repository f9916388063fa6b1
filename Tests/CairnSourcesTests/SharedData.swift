import Foundation

/// `<repo root>/../shared/data` (the Hai Phong data set), looking further up for checkouts
/// nested deeper than a clone beside `shared/`.
enum SharedData {
    static var path: String? {
        // This file → Tests/CairnSourcesTests → Tests → repository root.
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.deletingLastPathComponent().appendingPathComponent("shared/data")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate.path }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }
}
