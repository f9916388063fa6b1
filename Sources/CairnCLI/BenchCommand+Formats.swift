import CairnCore
import CairnEngine
import CairnPNG
import CairnRender
import CairnWebP
import Foundation

/// `cairn bench --formats-only`: the same rendered tiles encoded every candidate way, for choosing
/// the tile format and the deflate implementation by measurement (scripts/bench-formats).
extension BenchCommand {
    /// One way of encoding a tile.
    struct Encoding {
        var name: String
        var kind: TileImageFormat
        var encode: (UnsafeRawPointer, Int, Int) throws -> [UInt8]
    }

    static func candidateEncodings() -> [Encoding] {
        func png(_ name: String, _ compression: PNGCompression, palette: Bool = false) -> Encoding {
            Encoding(name: name, kind: palette ? .png8 : .png32) { pixels, side, stride in
                try PNGEncoder.encode(pixels, width: side, height: side, stride: stride, compression: compression, palette: palette)
            }
        }
        func webp(_ settings: WebPEncoder.Settings) -> Encoding {
            Encoding(name: "webp \(settings)", kind: .webp) { pixels, side, stride in
                try WebPEncoder.encode(PNGEncoder.straightRGBA(pixels, width: side, height: side, stride: stride),
                                       width: side, height: side, settings: settings)
            }
        }
        return [
            png("png32 zlib-1 (before)", PNGCompression(deflater: .zlib, level: 1, filtered: false)),
            png("png32 zlib-6", PNGCompression(deflater: .zlib, level: 6, filtered: false)),
            png("png32 zlib-6 filtered", PNGCompression(deflater: .zlib, level: 6, filtered: true)),
            png("png32 scanline", PNGCompression(deflater: .scanline, level: 1, filtered: false)),
            png("png32 libdeflate-1", PNGCompression(deflater: .libdeflate, level: 1, filtered: false)),
            png("png32 libdeflate-2", PNGCompression(deflater: .libdeflate, level: 2, filtered: false)),
            png("png32 libdeflate-3", PNGCompression(deflater: .libdeflate, level: 3, filtered: false)),
            png("png32 libdeflate-4", PNGCompression(deflater: .libdeflate, level: 4, filtered: false)),
            png("png32 libdeflate-6", PNGCompression(deflater: .libdeflate, level: 6, filtered: false)),
            png("png32 libdeflate-6 filtered", PNGCompression(deflater: .libdeflate, level: 6, filtered: true)),
            png("png8 libdeflate-1", PNGCompression(deflater: .libdeflate, level: 1, filtered: false), palette: true),
            png("png8 libdeflate-2", PNGCompression(deflater: .libdeflate, level: 2, filtered: false), palette: true),
            png("png8 libdeflate-4", PNGCompression(deflater: .libdeflate, level: 4, filtered: false), palette: true),
            png("png8 libdeflate-6", PNGCompression(deflater: .libdeflate, level: 6, filtered: false), palette: true),
            png("png8 libdeflate-9", PNGCompression(deflater: .libdeflate, level: 9, filtered: false), palette: true),
            png("png8 libdeflate-6 filtered", PNGCompression(deflater: .libdeflate, level: 6, filtered: true), palette: true),
            webp(WebPEncoder.Settings(lossless: true, quality: 0, method: 0)),
            webp(WebPEncoder.Settings(lossless: true, quality: 25, method: 1)),
            webp(WebPEncoder.Settings(lossless: true, quality: 75, method: 4)),
            webp(WebPEncoder.Settings(lossless: false, quality: 80, method: 2)),
            webp(WebPEncoder.Settings(lossless: false, quality: 90, method: 4)),
        ]
    }

    func measureFormats(map: LoadedMap, tiles: [TileCoordinate]) throws {
        let encodings = Self.candidateEncodings()
        var bytes = [[Double]](repeating: [], count: encodings.count)
        var milliseconds = [[Double]](repeating: [], count: encodings.count)
        // Colour error of png8 against png32, per tile: pixels off by more than 8 in a channel, and the largest error.
        var png8Changed = 0, png8Pixels = 0, png8MaxError = 0
        var largest: (tile: TileCoordinate, bytes: Int)?
        var compareImages: [TileCoordinate: [[UInt8]]] = [:]
        for tile in tiles {
            let (canvas, side, buffer) = try MapRenderer.drawCanvas(map, metatile: Metatile(containing: tile, size: 1, in: map.grid), scale: scale)
            var encoded: [[UInt8]] = []
            try canvas.withPixels { data, stride in
                let origin = data + buffer * stride + buffer * 4
                for (index, encoding) in encodings.enumerated() {
                    var best = Duration.seconds(1000), output: [UInt8] = []
                    for _ in 0..<max(1, repetitions) {
                        let start = ContinuousClock.now
                        output = try encoding.encode(origin, side, stride)
                        best = min(best, ContinuousClock.now - start)
                    }
                    bytes[index].append(Double(output.count))
                    milliseconds[index].append(best.seconds * 1000)
                    encoded.append(output)
                }
            }
            let truecolour = try PNGDecoder.decode(encoded[0]).rgba
            let palette = try PNGDecoder.decode(encoded[encodings.firstIndex { $0.kind == .png8 }!]).rgba
            for i in stride(from: 0, to: truecolour.count, by: 4) {
                let error = (0..<4).map { abs(Int(truecolour[i + $0]) - Int(palette[i + $0])) }.max()!
                if error > 8 { png8Changed += 1 }
                png8MaxError = max(png8MaxError, error)
            }
            png8Pixels += truecolour.count / 4
            if tile.z == 14, encoded[0].count > largest?.bytes ?? 0 { largest = (tile, encoded[0].count) }
            compareImages[tile] = [encoded[0], encoded[encodings.firstIndex { $0.kind == .png8 }!],
                                   encoded[encodings.firstIndex { $0.kind == .webp }!]]
        }
        let before = median(bytes[0])
        print("cairn formats: \(tiles.count) tiles, scale \(scale); bytes and encode ms per tile (best of \(max(1, repetitions)))")
        print("  " + "encoding".padding(toLength: 34, withPad: " ", startingAt: 0) + "  median B    mean B  smaller  median ms  mean ms")
        var rows: [JSONValue] = []
        for (index, encoding) in encodings.enumerated() {
            let medianBytes = median(bytes[index]), meanBytes = bytes[index].reduce(0, +) / Double(tiles.count)
            print("  " + encoding.name.padding(toLength: 34, withPad: " ", startingAt: 0)
                  + String(format: "  %8.0f  %8.0f  %6.2fx  %9.3f  %7.3f", medianBytes, meanBytes, before / medianBytes,
                           median(milliseconds[index]), milliseconds[index].reduce(0, +) / Double(tiles.count)))
            rows.append(["encoding": JSONValue(encoding.name), "median_bytes": JSONValue(medianBytes), "mean_bytes": JSONValue(meanBytes),
                         "median_ms": JSONValue(median(milliseconds[index])),
                         "mean_ms": JSONValue(milliseconds[index].reduce(0, +) / Double(tiles.count))])
        }
        print(String(format: "  png8 vs png32: %.3f %% of pixels off by more than 8 in a channel; largest error %d", 100 * Double(png8Changed) / Double(max(1, png8Pixels)), png8MaxError))
        if let directory = compareDirectory, let largest {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = directory + "/compare-\(largest.tile.z)-\(largest.tile.x)-\(largest.tile.y).png"
            try writeSideBySide(compareImages[largest.tile]!, to: path)
            print("  side by side (png32 | png8 | webp) of the largest z14 tile: \(path)")
        }
        if let json {
            let result: JSONValue = ["tiles": JSONValue(tiles.count), "encodings": .array(rows),
                                     "png8_changed_pixels_percent": JSONValue(100 * Double(png8Changed) / Double(max(1, png8Pixels))),
                                     "png8_max_error": JSONValue(png8MaxError)]
            try Data((result.text + "\n").utf8).write(to: URL(fileURLWithPath: json))
        }
    }

    /// The three encodings of one tile decoded and put side by side, each drawn 2× with square pixels
    /// (so banding or shifted fills show), as a truecolour PNG.
    private func writeSideBySide(_ images: [[UInt8]], to path: String) throws {
        let decoded = [try PNGDecoder.decode(images[0]), try PNGDecoder.decode(images[1])]
        let webp = try WebPDecoder.decode(images[2])
        let layers = decoded.map { ($0.width, $0.rgba) } + [(webp.width, webp.rgba)]
        let side = layers[0].0, zoom = 2, gap = 8
        let width = layers.count * side * zoom + (layers.count - 1) * gap, height = side * zoom
        var out = [UInt8](repeating: 255, count: width * height * 4)
        for (index, layer) in layers.enumerated() {
            for y in 0..<height {
                for x in 0..<(side * zoom) {
                    let source = ((y / zoom) * side + x / zoom) * 4
                    let target = (y * width + index * (side * zoom + gap) + x) * 4
                    for c in 0..<4 { out[target + c] = layer.1[source + c] }
                }
            }
        }
        try Data(PNGEncoder.encode(out, width: width, height: height)).write(to: URL(fileURLWithPath: path))
    }
}
