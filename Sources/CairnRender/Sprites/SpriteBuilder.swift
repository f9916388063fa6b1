internal import CairnCore
internal import CairnCairo
internal import CairnPNG

/// Builds sprite sheets from SVG icons with librsvg: each icon drawn at its own size (CSS px) times the
/// pixel ratio, packed on shelves into one sheet per ratio, with its MapLibre index.
public enum SpriteBuilder {
    /// One SVG icon: `name` is its image id (the file name without `.svg`); `file` names it in errors.
    public struct Icon: Sendable {
        public let name: String
        public let file: String
        public let svg: [UInt8]

        public init(name: String, file: String, svg: [UInt8]) {
            self.name = name
            self.file = file
            self.svg = svg
        }
    }

    /// Free pixels around each icon, so smooth resampling never pulls in a neighbour.
    static let gap = 2

    /// - Returns: one sheet per ratio, in the order given.
    /// - Throws: `SpriteError(.invalidIcon)` naming the SVG file when librsvg cannot read or draw it.
    public static func build(_ icons: [Icon], pixelRatios: [Double] = [1, 2]) throws(SpriteError) -> [SpriteSheet] {
        guard !icons.isEmpty else { return [] }
        var documents: [(Icon, SVGDocument)] = []
        for icon in icons.sorted(by: { $0.name < $1.name }) {
            do {
                documents.append((icon, try SVGDocument(data: icon.svg)))
            } catch {
                throw SpriteError(.invalidIcon, file: icon.file, "not a usable SVG: \(error.message)")
            }
        }
        var sheets: [SpriteSheet] = []
        for ratio in pixelRatios {
            sheets.append(try sheet(documents, pixelRatio: ratio))
        }
        return sheets
    }

    private static func sheet(_ documents: [(Icon, SVGDocument)], pixelRatio: Double) throws(SpriteError) -> SpriteSheet {
        let sizes = documents.map { _, document in
            (max(1, Int((document.width * pixelRatio).rounded(.up))), max(1, Int((document.height * pixelRatio).rounded(.up))))
        }
        let placements = pack(sizes)
        let sheetWidth = zip(placements, sizes).map { $0.x + $1.0 }.max() ?? 1
        let sheetHeight = zip(placements, sizes).map { $0.y + $1.1 }.max() ?? 1
        var images: [String: SpriteImage] = [:]
        let words: [UInt32]
        do {
            let surface = try CairoImageSurface(width: sheetWidth, height: sheetHeight)
            let context = try CairoContext(surface: surface)
            for (index, (icon, document)) in documents.enumerated() {
                let (w, h) = sizes[index]
                let rendered: CairoImageSurface
                do {
                    rendered = try document.render(pixelWidth: w, pixelHeight: h)
                } catch {
                    throw SpriteError(.invalidIcon, file: icon.file, "librsvg cannot draw it: \(error.message)")
                }
                let at = placements[index]
                context.paint(rendered, x: Double(at.x), y: Double(at.y), opacity: 1)
                images[icon.name] = SpriteImage(x: at.x, y: at.y, width: w, height: h, pixelRatio: pixelRatio)
            }
            words = surface.argbWords()
        } catch let error as SpriteError {
            throw error
        } catch {
            throw SpriteError(.invalidImage, file: documents[0].0.file, "cannot draw the sprite sheet: \(error)")
        }
        let png: [UInt8]
        do {
            png = try PNGEncoder.encode(words.withUnsafeBytes { Array($0) }, width: sheetWidth, height: sheetHeight,
                                        format: .argb32Premultiplied, compression: PNGCompression(deflater: .libdeflate, level: 9, filtered: true))
        } catch {
            throw SpriteError(.invalidImage, file: documents[0].0.file, "cannot encode the sprite sheet: \(error)")
        }
        let json = Array(SpriteIndex.json(images).text.utf8)
        return SpriteSheet(pixelRatio: pixelRatio, width: sheetWidth, height: sheetHeight, images: images, argb: words,
                           jsonBytes: json, pngBytes: png)
    }

    /// Shelf packing, tallest first, into a sheet about as wide as it is tall.
    static func pack(_ sizes: [(Int, Int)]) -> [(x: Int, y: Int)] {
        let area = sizes.reduce(0) { $0 + ($1.0 + gap) * ($1.1 + gap) }
        let widest = sizes.map { $0.0 + gap }.max() ?? 1
        let rowWidth = max(widest, Int(Double(area).squareRoot().rounded(.up)))
        let order = sizes.indices.sorted { sizes[$0].1 != sizes[$1].1 ? sizes[$0].1 > sizes[$1].1 : $0 < $1 }
        var result = [(x: Int, y: Int)](repeating: (0, 0), count: sizes.count)
        var x = 0, y = 0, shelf = 0
        for index in order {
            let (w, h) = sizes[index]
            if x > 0 && x + w > rowWidth {
                y += shelf + gap
                x = 0
                shelf = 0
            }
            result[index] = (x, y)
            x += w + gap
            shelf = max(shelf, h)
        }
        return result
    }
}
