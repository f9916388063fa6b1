import CairnPNG
import Foundation
import Testing
import CairnTestSupport

@Suite struct PNGEncoderTests {
    /// A 37×23 gradient with varied alpha, as straight RGBA.
    static func gradient(width: Int = 37, height: Int = 23, opaque: Bool = false) -> [UInt8] {
        var rgba: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                let alpha: UInt8 = opaque ? 255 : (x % 3 == 0 ? 255 : (x % 3 == 1 ? UInt8((y * 11) % 256) : 0))
                rgba += [UInt8((x * 7) % 256), UInt8((y * 13) % 256), UInt8((x * y) % 256), alpha]
            }
        }
        return rgba
    }

    /// Cairo's ARGB32 (little-endian B, G, R, A bytes, premultiplied) for straight RGBA input.
    static func premultiplied(_ rgba: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: rgba.count)
        for i in stride(from: 0, to: rgba.count, by: 4) {
            let a = Int(rgba[i + 3])
            func mul(_ c: UInt8) -> UInt8 { UInt8((Int(c) * a + 127) / 255) }
            out[i] = mul(rgba[i + 2]); out[i + 1] = mul(rgba[i + 1]); out[i + 2] = mul(rgba[i]); out[i + 3] = UInt8(a)
        }
        return out
    }

    @Test func straightRGBARoundTripsExactly() throws {
        let rgba = Self.gradient()
        let png = try PNGEncoder.encode(rgba, width: 37, height: 23)
        let image = try PNGDecoder.decode(png)
        #expect(image.width == 37 && image.height == 23)
        // Fully transparent pixels are allowed any colour; compare the rest exactly.
        for i in stride(from: 0, to: rgba.count, by: 4) where rgba[i + 3] != 0 {
            #expect(Array(image.rgba[i..<i + 4]) == Array(rgba[i..<i + 4]))
        }
        #expect(png[25] == 6, "colour type RGBA expected for translucent input")
    }

    @Test func premultipliedARGB32IsWrittenWithStraightAlpha() throws {
        let rgba = Self.gradient()
        let argb = Self.premultiplied(rgba)
        let image = try PNGDecoder.decode(PNGEncoder.encode(argb, width: 37, height: 23, format: .argb32Premultiplied))
        for i in stride(from: 0, to: rgba.count, by: 4) {
            let a = Int(rgba[i + 3])
            #expect(Int(image.rgba[i + 3]) == a)
            guard a > 0 else { continue }
            // Premultiplying loses precision at low alpha: allow the rounding error it implies.
            let tolerance = 255 / a + 1
            for c in 0..<3 { #expect(abs(Int(image.rgba[i + c]) - Int(rgba[i + c])) <= tolerance) }
        }
    }

    @Test func opaqueImagesAreWrittenAsRGB() throws {
        let rgba = Self.gradient(opaque: true)
        let png = try PNGEncoder.encode(rgba, width: 37, height: 23)
        #expect(png[25] == 2, "colour type RGB expected")
        #expect(try PNGDecoder.decode(png).rgba == rgba)
    }

    @Test func translucentTopRowsAboveAnOpaqueRowKeepTheirAlpha() throws {
        var rgba = [UInt8](repeating: 0, count: 8 * 8 * 4)  // transparent
        for i in stride(from: 7 * 8 * 4, to: rgba.count, by: 4) { rgba[i] = 200; rgba[i + 3] = 255 }
        let png = try PNGEncoder.encode(rgba, width: 8, height: 8)
        #expect(png[25] == 6)
        #expect(try PNGDecoder.decode(png).rgba == rgba)
    }

    @Test func strideAndOffsetSelectASubImage() throws {
        let rgba = Self.gradient(opaque: true)
        let png = try rgba.withUnsafeBytes { raw in
            try PNGEncoder.encode(raw.baseAddress! + (5 * 37 + 3) * 4, width: 10, height: 7, stride: 37 * 4, format: .rgba)
        }
        let image = try PNGDecoder.decode(png)
        for y in 0..<7 {
            for x in 0..<10 {
                let source = ((y + 5) * 37 + x + 3) * 4, target = (y * 10 + x) * 4
                #expect(Array(image.rgba[target..<target + 4]) == Array(rgba[source..<source + 4]))
            }
        }
    }

    @Test(arguments: [(256, UInt8(255)), (512, UInt8(255)), (256, UInt8(128)), (256, UInt8(0))])
    func uniformTilesAreTinyPalettePNGs(size: Int, alpha: UInt8) throws {
        let rgba = [UInt8]((0..<(size * size)).flatMap { _ in [170, 211, 223, alpha] })
        let png = try PNGEncoder.encode(rgba, width: size, height: size)
        // 72 bytes of mandatory chunks (signature, IHDR, PLTE, IDAT and IEND framing) plus ~31 bytes of
        // deflated zero rows at 256 px (~54 at 512 px) is the floor for a 1-bit palette image.
        #expect(png.count <= (size == 256 ? 120 : 140), "uniform tile took \(png.count) bytes")
        #expect(png[24] == 1 && png[25] == 3, "1-bit palette expected")
        let image = try PNGDecoder.decode(png)
        #expect(image.width == size && image.height == size)
        let expected: [UInt8] = alpha == 0 ? [0, 0, 0, 0] : [170, 211, 223, alpha]
        #expect(image.rgba.count == size * size * 4)
        #expect(stride(from: 0, to: image.rgba.count, by: 4).allSatisfy { i in
            alpha == 0 ? image.rgba[i + 3] == 0 : Array(image.rgba[i..<i + 4]) == expected
        })
        // Cached: a second call returns identical bytes.
        #expect(try PNGEncoder.encode(rgba, width: size, height: size) == png)
    }

    @Test(.interop) func pythonZlibReadsTheSamePixels() throws {
        let rgba = Self.gradient()
        let png = try PNGEncoder.encode(rgba, width: 37, height: 23)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-png-\(UUID().uuidString).png")
        try Data(png).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        // Parses the chunks and inflates IDAT independently of libpng; filter type 0 must prefix every row.
        let script = """
        import sys, zlib, struct
        data = open(sys.argv[1], 'rb').read()
        assert data[:8] == b'\\x89PNG\\r\\n\\x1a\\n'
        pos, idat = 8, b''
        while pos < len(data):
            length, kind = struct.unpack('>I4s', data[pos:pos + 8])
            if kind == b'IHDR': w, h, depth, ctype = struct.unpack('>IIBB', data[pos + 8:pos + 18])
            if kind == b'IDAT': idat += data[pos + 8:pos + 8 + length]
            pos += 12 + length
        raw = zlib.decompress(idat)
        row = w * 4 + 1
        assert all(raw[i * row] == 0 for i in range(h)), 'filter none expected'
        sys.stdout.write(''.join(raw[i * row + 1:(i + 1) * row].hex() for i in range(h)))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(text == rgba.map { String(format: "%02x", $0) }.joined())
    }

    @Test func invalidInputIsRejected() throws {
        #expect(throws: PNGError.self) { try PNGEncoder.encode([UInt8](repeating: 0, count: 16), width: 0, height: 4) }
        #expect(throws: PNGError.self) { try PNGEncoder.encode([UInt8](repeating: 0, count: 16), width: 4, height: 4) }
        let error = try #require(throws: PNGError.self) { try PNGDecoder.decode(Array("not a png at all".utf8)) }
        #expect(error.code == .decodingFailed)
    }
}
