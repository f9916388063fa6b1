import Foundation
public import CairnPNG

/// The outcome of comparing two images pixel by pixel.
public struct ImageComparisonResult: Sendable {
    public var width: Int
    public var height: Int
    /// False when the images differ in size (then every pixel counts as different).
    public var sizesMatch: Bool
    /// Pixels whose largest channel difference exceeds the threshold.
    public var differingPixels: Int
    public var totalPixels: Int
    /// The largest channel difference seen anywhere.
    public var maxChannelDelta: Int
    /// Red where pixels differ over a faded copy of the expected image.
    public var diffPNG: [UInt8]

    public var differingFraction: Double { totalPixels == 0 ? 0 : Double(differingPixels) / Double(totalPixels) }

    /// True when the sizes match and at most `maxFraction` of the pixels differ.
    public func isSimilar(maxFraction: Double) -> Bool { sizesMatch && differingFraction <= maxFraction }
}

/// The outcome of checking an image against a golden file.
public struct GoldenCheck: Sendable, CustomStringConvertible {
    public enum Outcome: Sendable, Equatable {
        /// The golden file was missing and has been written (record mode, outside CI).
        case recorded
        case matched
        /// Differs too much, or the golden is missing under CI; see `message`.
        case failed
    }

    public var outcome: Outcome
    public var comparison: ImageComparisonResult?
    public var message: String

    public var passed: Bool { outcome != .failed }
    public var description: String { message }
}

/// Pixel comparison of PNG images for golden-image tests.
public enum ImageComparison {
    /// Compares two PNGs decoded to straight RGBA; a pixel differs when any channel differs by more than
    /// `channelThreshold`.
    public static func compare(expected: [UInt8], actual: [UInt8], channelThreshold: Int = 2) throws -> ImageComparisonResult {
        try compare(expected: PNGDecoder.decode(expected), actual: PNGDecoder.decode(actual), channelThreshold: channelThreshold)
    }

    public static func compare(expected: PNGDecoder.Image, actual: PNGDecoder.Image, channelThreshold: Int = 2) throws -> ImageComparisonResult {
        let width = max(expected.width, actual.width), height = max(expected.height, actual.height)
        let sizesMatch = expected.width == actual.width && expected.height == actual.height
        var diff = [UInt8](repeating: 0, count: width * height * 4)
        var differing = 0
        var maxDelta = 0
        for y in 0..<height {
            for x in 0..<width {
                let out = (y * width + x) * 4
                guard x < expected.width, y < expected.height, x < actual.width, y < actual.height else {
                    differing += 1
                    diff[out] = 255; diff[out + 3] = 255
                    continue
                }
                let e = (y * expected.width + x) * 4, a = (y * actual.width + x) * 4
                var delta = 0
                for c in 0..<4 { delta = max(delta, abs(Int(expected.rgba[e + c]) - Int(actual.rgba[a + c]))) }
                maxDelta = max(maxDelta, delta)
                if delta > channelThreshold {
                    differing += 1
                    diff[out] = 255; diff[out + 3] = 255
                } else {
                    // A faint grey version of the expected pixel, for orientation.
                    let grey = (Int(expected.rgba[e]) + Int(expected.rgba[e + 1]) + Int(expected.rgba[e + 2])) / 3
                    let faded = UInt8(255 - (255 - grey) * Int(expected.rgba[e + 3]) / 255 / 4)
                    diff[out] = faded; diff[out + 1] = faded; diff[out + 2] = faded; diff[out + 3] = 255
                }
            }
        }
        let diffPNG = width > 0 && height > 0 ? try PNGEncoder.encode(diff, width: width, height: height) : []
        return ImageComparisonResult(width: width, height: height, sizesMatch: sizesMatch,
                                     differingPixels: sizesMatch ? differing : width * height,
                                     totalPixels: width * height, maxChannelDelta: maxDelta, diffPNG: diffPNG)
    }

    /// Compares `actual` with the golden PNG at `golden`. A missing golden is written (record mode) unless
    /// the `CI` environment variable is set, in which case it fails. On a mismatch the actual image and the
    /// diff are written beside the golden as `<name>.actual.png` and `<name>.diff.png`.
    public static func assertSimilar(_ actual: [UInt8], golden: URL, channelThreshold: Int = 2,
                                     maxFraction: Double = 0.001) throws -> GoldenCheck {
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: golden.path) else {
            if ProcessInfo.processInfo.environment["CI"] != nil {
                return GoldenCheck(outcome: .failed, comparison: nil,
                                   message: "golden image \(golden.path) is missing (CI is set, so it is not recorded)")
            }
            try fileManager.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(actual).write(to: golden)
            return GoldenCheck(outcome: .recorded, comparison: nil, message: "recorded new golden image \(golden.path)")
        }
        let expected = try [UInt8](Data(contentsOf: golden))
        let result = try compare(expected: expected, actual: actual, channelThreshold: channelThreshold)
        let base = golden.deletingPathExtension()
        let actualURL = base.appendingPathExtension("actual.png"), diffURL = base.appendingPathExtension("diff.png")
        if result.isSimilar(maxFraction: maxFraction) {
            try? fileManager.removeItem(at: actualURL)
            try? fileManager.removeItem(at: diffURL)
            return GoldenCheck(outcome: .matched, comparison: result,
                               message: "\(golden.lastPathComponent): \(result.differingPixels) of \(result.totalPixels) pixels differ")
        }
        try Data(actual).write(to: actualURL)
        try Data(result.diffPNG).write(to: diffURL)
        let sizes = result.sizesMatch ? "" : " (sizes differ)"
        return GoldenCheck(outcome: .failed, comparison: result,
                           message: "\(golden.lastPathComponent): \(result.differingPixels) of \(result.totalPixels) pixels differ by more than \(channelThreshold)\(sizes), allowed \(maxFraction * 100)%; see \(diffURL.path)")
    }
}
