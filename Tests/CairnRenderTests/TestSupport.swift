import CairnCore
import CairnPNG
import CairnRender
import Foundation
import Testing

/// Test scenes use world units equal to pixels: world (x, -y) lands on canvas pixel (x, y).
func px(_ x: Double, _ y: Double) -> Point { Point(x, -y) }

let identityTransform = PixelTransform(origin: Point(0, 0), pixelsPerUnit: 1)

let fixturesURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

/// A canvas whose label frame is the whole canvas unless given.
func makeCanvas(_ width: Int, _ height: Int, scale: Double = 1, frame: PixelRect? = nil,
                transform: PixelTransform = identityTransform) throws -> Canvas {
    try Canvas(width: width, height: height, scale: scale, transform: transform,
               labelFrame: frame ?? PixelRect(x: 0, y: 0, width: Double(width), height: Double(height)))
}

/// Checks `canvas` against `Fixtures/golden/<name>.png` (recording it when missing outside CI).
func expectGolden(_ canvas: Canvas, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let png = try canvas.encodePNG()
    let check = try ImageComparison.assertSimilar(png, golden: fixturesURL.appendingPathComponent("golden/\(name).png"),
                                                  channelThreshold: 2, maxFraction: 0.001)
    #expect(check.passed, "\(check.message)", sourceLocation: sourceLocation)
}

/// Decoded canvas pixels.
func pixels(of canvas: Canvas) throws -> PNGDecoder.Image {
    try PNGDecoder.decode(canvas.encodePNG())
}

extension PNGDecoder.Image {
    func pixel(_ x: Int, _ y: Int) -> [UInt8] {
        let i = (y * width + x) * 4
        return Array(rgba[i..<(i + 4)])
    }

    /// Bounding rows/columns of pixels that differ from `background` inside the given rectangle.
    func inkBounds(background: [UInt8], x: Range<Int>? = nil, y: Range<Int>? = nil) -> (minX: Int, minY: Int, maxX: Int, maxY: Int)? {
        var result: (Int, Int, Int, Int)?
        for row in y ?? 0..<height {
            for column in x ?? 0..<width where pixel(column, row) != background {
                if let r = result {
                    result = (min(r.0, column), min(r.1, row), max(r.2, column), max(r.3, row))
                } else {
                    result = (column, row, column, row)
                }
            }
        }
        return result.map { (minX: $0.0, minY: $0.1, maxX: $0.2, maxY: $0.3) }
    }

    func crop(x: Int, y: Int, width w: Int, height h: Int) -> PNGDecoder.Image {
        var out: [UInt8] = []
        out.reserveCapacity(w * h * 4)
        for row in y..<(y + h) {
            let start = (row * width + x) * 4
            out.append(contentsOf: rgba[start..<(start + w * 4)])
        }
        return PNGDecoder.Image(width: w, height: h, rgba: out)
    }
}

extension Color {
    static func hex(_ value: UInt32, alpha: Double = 1) -> Color {
        Color(red: Double((value >> 16) & 255) / 255, green: Double((value >> 8) & 255) / 255,
              blue: Double(value & 255) / 255, alpha: alpha)
    }
}
