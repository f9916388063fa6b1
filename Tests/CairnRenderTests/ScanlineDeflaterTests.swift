@testable import CairnPNG
import CairnZlib
import Foundation
import Testing

/// `ScanlineDeflater` writes png32 tiles: every stream must decode (libpng, zlib) to exactly its input.
@Suite struct ScanlineDeflaterTests {
    static let compression = PNGCompression(deflater: .scanline, level: 1, filtered: false)

    /// A map-like image: flat fills, a diagonal road with antialiased edges, and some noise.
    static func mapLike(width: Int, height: Int, noise: Int, opaque: Bool = true, seed: UInt64 = 7) -> [UInt8] {
        var state = seed
        func random() -> UInt8 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        var rgba: [UInt8] = []
        rgba.reserveCapacity(width * height * 4)
        for y in 0..<height {
            for x in 0..<width {
                let road = abs(x - y - 20)
                var pixel: [UInt8] = road < 6 ? [252, 214, 164, 255] : (x < width / 3 ? [170, 211, 223, 255] : [242, 239, 233, 255])
                if road == 6 { pixel = [200, 180, 150, 255] }
                if noise > 0 && Int(random()) < noise { pixel = [random(), random(), random(), 255] }
                if !opaque { pixel[3] = x % 5 == 0 ? 128 : 255 }
                rgba += pixel
            }
        }
        return rgba
    }

    func roundTrip(_ rgba: [UInt8], width: Int, height: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let png = try PNGEncoder.encode(rgba, width: width, height: height, compression: Self.compression)
        let decoded = try PNGDecoder.decode(png)
        #expect(decoded.width == width && decoded.height == height, sourceLocation: sourceLocation)
        #expect(decoded.rgba == rgba, sourceLocation: sourceLocation)
    }

    @Test func tilesRoundTripExactly() throws {
        for noise in [0, 3, 40, 255] {
            try roundTrip(Self.mapLike(width: 256, height: 256, noise: noise), width: 256, height: 256)
        }
        try roundTrip(Self.mapLike(width: 256, height: 256, noise: 10, opaque: false), width: 256, height: 256)
        try roundTrip(Self.mapLike(width: 512, height: 512, noise: 2), width: 512, height: 512)
    }

    @Test func smallAndOddImagesRoundTrip() throws {
        for (width, height) in [(1, 1), (2, 1), (1, 2), (3, 5), (7, 3), (17, 1), (1, 300), (300, 1), (129, 87)] {
            try roundTrip(Self.mapLike(width: width, height: height, noise: 60), width: width, height: height)
        }
    }

    @Test func manyRandomImagesRoundTrip() throws {
        // Runs, repeats of earlier rows, a few colours and noise, in random sizes: every kind of match and literal.
        var state: UInt64 = 0x5EED
        func random(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        for _ in 0..<300 {
            let width = 1 + random(90), height = 1 + random(40), opaque = random(3) > 0
            let palette = (0..<(1 + random(6))).map { _ in [UInt8(random(256)), UInt8(random(256)), UInt8(random(256)), opaque ? 255 : UInt8(random(256))] }
            var rgba: [UInt8] = []
            for y in 0..<height {
                if y > 0 && random(4) == 0 {
                    rgba += rgba[((y - 1 - random(y)) * width * 4)...].prefix(width * 4)
                    continue
                }
                var colour = palette[random(palette.count)]
                for _ in 0..<width {
                    switch random(10) {
                    case 0: colour = palette[random(palette.count)]
                    case 1: colour = [UInt8(random(256)), UInt8(random(256)), UInt8(random(256)), opaque ? 255 : UInt8(random(256))]
                    default: break
                    }
                    rgba += colour
                }
            }
            let png = try PNGEncoder.encode(rgba, width: width, height: height, compression: Self.compression)
            #expect(try PNGDecoder.decode(png).rgba == rgba, "\(width)x\(height)")
        }
    }

    @Test func incompressibleInputIsStoredAndStillDecodes() throws {
        let rgba = Self.mapLike(width: 200, height: 200, noise: 256)
        let png = try PNGEncoder.encode(rgba, width: 200, height: 200, compression: Self.compression)
        #expect(try PNGDecoder.decode(png).rgba == rgba)
        // Stored blocks cost 5 bytes per 65,535; Huffman coding of random bytes would be larger still.
        #expect(png.count < 200 * (1 + 200 * 3) + 200)
    }

    @Test func theZlibStreamIsValidWithItsChecksum() throws {
        let rgba = Self.mapLike(width: 256, height: 256, noise: 5)
        var scanlines: [UInt8] = []
        for y in 0..<256 {
            scanlines.append(0)
            for x in 0..<256 {
                let pixel = (y * 256 + x) * 4
                scanlines += rgba[pixel..<pixel + 3]
            }
        }
        let stream = scanlines.withUnsafeBufferPointer { ScanlineDeflater.zlib($0, pixelBytes: 3, rowBytes: 1 + 256 * 3) }
        let header = Int(stream[0]) << 8 | Int(stream[1])
        #expect(stream[0] == 0x78 && header % 31 == 0)
        #expect(Zlib.isZlib(stream))
        #expect(try Zlib.decompress(stream) == scanlines)
        // A map-like tile compresses well.
        #expect(stream.count * 10 < scanlines.count)
    }

    @Test func codeLengthsStayWithinTheirLimit() {
        // Fibonacci frequencies make Huffman codes as deep as symbols allow.
        var frequencies = [UInt32](repeating: 0, count: 286)
        var a: UInt32 = 1, b: UInt32 = 1
        for index in 0..<30 {
            frequencies[index] = a
            (a, b) = (b, a &+ b)
        }
        for limit in [7, 15] {
            let code = HuffmanCode(frequencies: frequencies, limit: limit)
            #expect(code.lengths.max()! <= UInt8(limit))
            // A complete prefix code: the Kraft sum of the used lengths is exactly 1.
            let kraft = code.lengths.filter { $0 > 0 }.reduce(0.0) { $0 + pow(2.0, -Double($1)) }
            #expect(abs(kraft - 1) < 1e-9, "Kraft sum \(kraft) at limit \(limit)")
            #expect(code.lengths[0..<30].allSatisfy { $0 > 0 } && code.lengths[30...].allSatisfy { $0 == 0 })
        }
    }
}
