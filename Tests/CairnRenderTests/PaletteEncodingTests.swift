import CairnPNG
import CairnRender
import CairnWebP
import Foundation
import Testing
import CairnTestSupport

/// png8 (palette PNG), PNG through libdeflate, and WebP: what comes back when the bytes are decoded.
@Suite struct PaletteEncodingTests {
    /// `count` distinct colours in stripes of varied alpha (0 included), straight RGBA.
    static func stripes(colours count: Int, width: Int = 64, height: Int = 32, opaque: Bool = false) -> [UInt8] {
        var rgba: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                let c = (y * width + x) * count / (width * height)
                let alpha: UInt8 = opaque ? 255 : [255, 128, 0, 255, 40][c % 5]
                rgba += alpha == 0 ? [0, 0, 0, 0] : [UInt8(c * 37 % 256), UInt8(c * 11 % 256), UInt8(c * 101 % 256), alpha]
            }
        }
        return rgba
    }

    /// Bytes 24 and 25 of a PNG: IHDR's bit depth and colour type.
    static func header(_ png: [UInt8]) -> (depth: UInt8, colourType: UInt8) { (png[24], png[25]) }

    static func hasChunk(_ name: String, _ png: [UInt8]) -> Bool {
        let tag = Array(name.utf8)
        return (0..<(png.count - 4)).contains { Array(png[$0..<$0 + 4]) == tag }
    }

    @Test(arguments: [2, 3, 16, 17, 200, 256])
    func aFewColoursAreKeptExactly(colours: Int) throws {
        let rgba = Self.stripes(colours: colours)
        let png = try PNGEncoder.encode(rgba, width: 64, height: 32, palette: true)
        let image = try PNGDecoder.decode(png)
        #expect(image.rgba == rgba)
        let (depth, colourType) = Self.header(png)
        #expect(colourType == 3, "palette PNG")
        // Fully transparent stripes are one entry whatever their colour number.
        var distinct = Set<[UInt8]>()
        for i in stride(from: 0, to: rgba.count, by: 4) { distinct.insert(Array(rgba[i..<i + 4])) }
        let n = distinct.count
        #expect(depth == (n <= 2 ? 1 : n <= 4 ? 2 : n <= 16 ? 4 : 8), "\(n) colours")
        #expect(Self.hasChunk("tRNS", png), "translucent entries need tRNS")
    }

    @Test func opaqueImagesHaveNoTransparencyChunk() throws {
        let rgba = Self.stripes(colours: 40, opaque: true)
        let png = try PNGEncoder.encode(rgba, width: 64, height: 32, palette: true)
        #expect(try PNGDecoder.decode(png).rgba == rgba)
        #expect(!Self.hasChunk("tRNS", png))
    }

    /// A map-like tile: two large fills, a diagonal antialiased edge between them with every blend,
    /// and a translucent gradient overlay in one corner: well over 256 colours.
    static func mapLike(side: Int = 128) -> [UInt8] {
        var rgba: [UInt8] = []
        let water: [Double] = [170, 211, 223], park: [Double] = [200, 230, 180]
        for y in 0..<side {
            for x in 0..<side {
                let t = max(0, min(1, Double(x - y) / 6 + 0.5))
                var pixel = (0..<3).map { water[$0] * (1 - t) + park[$0] * t }
                if x < 40 && y < 40 {
                    let a = Double(x * y) / 1600
                    pixel = pixel.enumerated().map { $0.element * (1 - a) + Double([30, 60, 90][$0.offset] + x) * a }
                }
                rgba += pixel.map { UInt8($0.rounded()) } + [255]
            }
        }
        return rgba
    }

    @Test func manyColoursAreQuantisedCloselyAndFillsStayExact() throws {
        let side = 128
        let rgba = Self.mapLike(side: side)
        var distinct = Set<UInt32>()
        for i in stride(from: 0, to: rgba.count, by: 4) { distinct.insert(UInt32(rgba[i]) | UInt32(rgba[i + 1]) << 8 | UInt32(rgba[i + 2]) << 16) }
        #expect(distinct.count > 256)
        let png = try PNGEncoder.encode(rgba, width: side, height: side, palette: true)
        #expect(Self.header(png) == (8, 3))
        let image = try PNGDecoder.decode(png)
        var worst = 0, total = 0
        for i in 0..<rgba.count {
            let error = abs(Int(rgba[i]) - Int(image.rgba[i]))
            worst = max(worst, error)
            total += error
        }
        #expect(worst <= 24, "largest channel error \(worst)")
        #expect(Double(total) / Double(rgba.count) < 1.5)
        // The two fills (far from the edge and the overlay) come back exactly: no shifted or banded fills.
        for (x, y) in [(100, 20), (20, 100), (127, 0), (50, 120)] {
            let i = (y * side + x) * 4
            #expect(Array(image.rgba[i..<i + 4]) == Array(rgba[i..<i + 4]), "pixel \(x),\(y)")
        }
    }

    @Test func premultipliedInputIsQuantisedWithStraightAlpha() throws {
        let rgba = Self.stripes(colours: 30)
        let argb = PNGEncoderTests.premultiplied(rgba)
        let image = try PNGDecoder.decode(PNGEncoder.encode(argb, width: 64, height: 32, format: .argb32Premultiplied, palette: true))
        for i in stride(from: 0, to: rgba.count, by: 4) {
            #expect(image.rgba[i + 3] == rgba[i + 3])
            guard rgba[i + 3] >= 128 else { continue }
            for c in 0..<3 { #expect(abs(Int(image.rgba[i + c]) - Int(rgba[i + c])) <= 2) }
        }
    }

    @Test(arguments: [PNGCompression(deflater: .libdeflate, level: 1, filtered: false),
                      PNGCompression(deflater: .libdeflate, level: 9, filtered: true),
                      PNGCompression(deflater: .zlib, level: 6, filtered: true)])
    func truecolourRoundTripsExactlyWithEveryDeflater(compression: PNGCompression) throws {
        for opaque in [true, false] {
            let rgba = PNGEncoderTests.gradient(opaque: opaque)
            let png = try PNGEncoder.encode(rgba, width: 37, height: 23, compression: compression)
            let image = try PNGDecoder.decode(png)
            #expect(Self.header(png).colourType == (opaque ? 2 : 6))
            for i in stride(from: 0, to: rgba.count, by: 4) where rgba[i + 3] != 0 {
                #expect(Array(image.rgba[i..<i + 4]) == Array(rgba[i..<i + 4]), "\(compression)")
            }
        }
    }

    @Test func webpLosslessRoundTripsAndKeepsAlpha() throws {
        let rgba = Self.stripes(colours: 300, width: 40, height: 30)
        let webp = try WebPEncoder.encode(rgba, width: 40, height: 30)
        #expect(Array(webp[0..<4]) == Array("RIFF".utf8) && Array(webp[8..<12]) == Array("WEBP".utf8))
        let image = try WebPDecoder.decode(webp)
        #expect(image.width == 40 && image.height == 30)
        for i in stride(from: 0, to: rgba.count, by: 4) {
            #expect(image.rgba[i + 3] == rgba[i + 3])
            if rgba[i + 3] != 0 { #expect(Array(image.rgba[i..<i + 3]) == Array(rgba[i..<i + 3])) }
        }
    }

    @Test func webpLossyStaysClose() throws {
        let rgba = Self.mapLike(side: 64)
        let webp = try WebPEncoder.encode(rgba, width: 64, height: 64, settings: .init(lossless: false, quality: 90, method: 4))
        let image = try WebPDecoder.decode(webp)
        let total = zip(rgba, image.rgba).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
        #expect(Double(total) / Double(rgba.count) < 4)
    }

    @Test func tileImageFormatsEncodeCanvasPixels() throws {
        let rgba = Self.stripes(colours: 20)
        let argb = PNGEncoderTests.premultiplied(rgba)
        for format in TileImageFormat.allCases {
            let bytes = try argb.withUnsafeBytes { try format.encode($0.baseAddress!, width: 64, height: 32, stride: 256) }
            let decoded = format == .webp ? try WebPDecoder.decode(bytes).rgba : try PNGDecoder.decode(bytes).rgba
            for i in stride(from: 0, to: rgba.count, by: 4) where rgba[i + 3] == 255 {
                #expect(Array(decoded[i..<i + 4]) == Array(rgba[i..<i + 4]), "\(format)")
            }
        }
    }

    @Test func invalidWebPBytesAreRejected() {
        #expect(throws: WebPError.self) { try WebPDecoder.decode(Array("RIFF0000WEBPnope".utf8)) }
    }
}
