import CairnPNG
import CairnRender
import Foundation
import Testing

@Suite struct ImageComparisonTests {
    static func image(_ width: Int, _ height: Int, change: (Int, [UInt8])? = nil) throws -> [UInt8] {
        var rgba = [UInt8]((0..<(width * height)).flatMap { i in [UInt8(i % 256), 40, 90, 255] })
        if let (pixel, value) = change { rgba.replaceSubrange(pixel * 4..<pixel * 4 + 4, with: value) }
        return try PNGEncoder.encode(rgba, width: width, height: height)
    }

    @Test func identicalImagesHaveNoDifference() throws {
        let result = try ImageComparison.compare(expected: Self.image(20, 10), actual: Self.image(20, 10))
        #expect(result.differingPixels == 0 && result.maxChannelDelta == 0 && result.isSimilar(maxFraction: 0))
    }

    @Test func smallDeltasAreWithinTheThreshold() throws {
        let result = try ImageComparison.compare(expected: Self.image(20, 10), actual: Self.image(20, 10, change: (5, [7, 42, 88, 255])),
                                                 channelThreshold: 2)
        #expect(result.differingPixels == 0 && result.maxChannelDelta == 2)
    }

    @Test func changedPixelsAreCountedAndMarkedInTheDiff() throws {
        let result = try ImageComparison.compare(expected: Self.image(20, 10), actual: Self.image(20, 10, change: (31, [255, 255, 255, 255])))
        #expect(result.differingPixels == 1)
        #expect(abs(result.differingFraction - 1.0 / 200) < 1e-12)
        let diff = try PNGDecoder.decode(result.diffPNG)
        #expect(Array(diff.rgba[31 * 4..<31 * 4 + 4]) == [255, 0, 0, 255])
    }

    @Test func differentSizesNeverMatch() throws {
        let result = try ImageComparison.compare(expected: Self.image(20, 10), actual: Self.image(10, 10))
        #expect(!result.sizesMatch && !result.isSimilar(maxFraction: 1))
    }

    @Test func goldenMismatchWritesActualAndDiffBesideIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-golden-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let golden = folder.appendingPathComponent("scene.png")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(Self.image(20, 10)).write(to: golden)
        let check = try ImageComparison.assertSimilar(Self.image(20, 10, change: (0, [0, 255, 0, 255])), golden: golden, maxFraction: 0)
        #expect(check.outcome == .failed)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("scene.actual.png").path))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("scene.diff.png").path))
        #expect(try ImageComparison.assertSimilar(Self.image(20, 10), golden: golden).outcome == .matched)
    }
}
