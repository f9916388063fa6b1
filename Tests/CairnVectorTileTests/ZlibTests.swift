import CairnZlib
import Foundation
import Testing
import CairnTestSupport

struct ZlibTests {
    @Test(.interop) func gzipRoundTripsAndIsReadableByGzip() throws {
        let text = Array(String(repeating: "Hải Phòng ", count: 500).utf8)
        let packed = try Zlib.gzip(text)
        #expect(Zlib.isGzip(packed))
        #expect(packed.count < text.count / 10)
        #expect(try Zlib.decompress(packed) == text)
        #expect(try Zlib.decompress(try Zlib.zlib(text)) == text)

        // The system gzip tool reads what we write.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-zlib-\(UUID().uuidString).gz")
        try Data(packed).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -dc '\(file.path)'"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(Array(output) == text)
    }

    @Test func corruptAndTruncatedStreamsAreErrors() throws {
        let packed = try Zlib.gzip(Array(repeating: 7, count: 10_000))
        #expect(throws: ZlibError.self) { try Zlib.decompress(Array(packed.prefix(packed.count / 2))) }
        var flipped = packed
        flipped[12] ^= 0xff
        #expect(throws: ZlibError.self) { try Zlib.decompress(flipped) }
        #expect(throws: ZlibError.self) { try Zlib.decompress([]) }
    }

    @Test func outputIsCapped() throws {
        let bomb = try Zlib.gzip([UInt8](repeating: 0, count: 4 << 20))
        #expect(bomb.count < 10_000)
        #expect(throws: ZlibError(code: .tooLarge, message: "decompressed data exceeds 1048576 bytes")) {
            try Zlib.decompress(bomb, limit: 1 << 20)
        }
    }
}
