import CairnTestSupport
import Foundation
import Testing

/// A map's Server-Sent Events stream read by `curl -N` (a client nobody here wrote) into a file, for
/// tests that check what an open page is told.
final class EventStreamCapture: @unchecked Sendable {
    // @unchecked: `process` and `file` are set once; the file is only read.
    let process = Process()
    let file: String

    init(url: String) throws {
        file = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-events-\(UUID().uuidString)").path
        FileManager.default.createFile(atPath: file, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-sN", "--max-time", "120", url]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    var text: String { (try? String(contentsOfFile: file, encoding: .utf8)) ?? "" }

    func waitFor(_ fragment: String, timeout: Duration = .seconds(20)) async -> Bool {
        await Wait.until(timeout: timeout) { self.text.contains(fragment) }
    }

    /// Every tile of zoom `z` inside the `tiles` ranges of the `invalidate` events received so far.
    func invalidatedTiles(z: Int) -> Set<LiveEditServer.Tile> {
        var result: Set<LiveEditServer.Tile> = []
        for line in text.split(separator: "\n") where line.hasPrefix("data: ") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any],
                  let ranges = object["tiles"] as? [[String: Int]] else { continue }
            for range in ranges where range["z"] == z {
                guard let minX = range["minX"], let maxX = range["maxX"], let minY = range["minY"], let maxY = range["maxY"],
                      (maxX - minX + 1) * (maxY - minY + 1) <= 10_000 else { continue }
                for x in minX...maxX { for y in minY...maxY { result.insert(.init(z: z, x: x, y: y)) } }
            }
        }
        return result
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: file)
    }
}
