import CairnRender
import CairnStyle
import Foundation

/// Loads a style's sprites: `NAME.json` + `NAME.png` (and `NAME@2x.json` + `NAME@2x.png` when present) next to
/// the style, or — when the sprite path is a folder — a sprite Cairn builds from the folder's `*.svg` files with
/// librsvg, at 1× and 2×. Paths are relative to the style file; remote URLs are not fetched.
enum SpriteLoader {
    struct Loaded {
        var atlas: SpriteAtlas
        /// Every file read, for change detection and the map's fingerprint.
        var files: [String]
    }

    /// - Throws: `EngineError(.invalidConfiguration)`: the message says what is wrong, the detail names the
    ///   file and JSON path (file paths stay out of messages a client may see).
    static func load(_ sprites: [StyleSprite], stylePath: String, map: String) throws -> Loaded {
        var entries: [SpriteAtlas.Entry] = []
        var files: [String] = []
        let styleFolder = URL(fileURLWithPath: stylePath).deletingLastPathComponent()
        for (index, sprite) in sprites.enumerated() {
            let at = sprites.count == 1 ? "sprite" : "sprite[\(index)]"
            func failure(_ reason: String, _ detail: String) -> EngineError {
                EngineError(.invalidConfiguration, "map \(map): \(at): \(reason)", detail: "\(stylePath): \(at): \(detail)")
            }
            var url = sprite.url
            if url.hasPrefix("http://") || url.hasPrefix("https://") {
                throw failure("remote sprites are not fetched; download the sprite's .json and .png files (and @2x) next to the style and name them by path without the extension, e.g. \"./sprites/NAME\"", url)
            }
            if url.hasPrefix("file://") { url.removeFirst("file://".count) }
            let base = url.hasPrefix("/") ? url : styleFolder.appendingPathComponent(url).standardizedFileURL.path
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: base, isDirectory: &isFolder), isFolder.boolValue {
                let (sheets, read) = try buildFromSVGs(folder: base, failure: failure)
                entries.append(SpriteAtlas.Entry(id: sprite.id, sheets: sheets))
                files += read
                continue
            }
            var sheets: [SpriteSheet] = []
            for (suffix, ratio) in [("", 1.0), ("@2x", 2.0)] {
                let jsonPath = base + suffix + ".json", pngPath = base + suffix + ".png"
                guard let json = FileManager.default.contents(atPath: jsonPath) else {
                    if suffix.isEmpty {
                        throw failure("cannot read the sprite index; expected NAME.json and NAME.png next to the style, or a folder of SVG icons",
                                      "cannot read the sprite index \(jsonPath)")
                    }
                    continue
                }
                guard let png = FileManager.default.contents(atPath: pngPath) else {
                    throw failure("cannot read the sprite image beside its index", "cannot read the sprite image \(pngPath)")
                }
                do {
                    sheets.append(try SpriteSheet.load(json: [UInt8](json), jsonFile: jsonPath, png: [UInt8](png), pngFile: pngPath, pixelRatio: ratio))
                } catch {
                    throw failure("the sprite is unusable: " + (error.location.isEmpty ? error.message : "\(error.location): \(error.message)"),
                                  error.description)
                }
                files += [jsonPath, pngPath]
            }
            entries.append(SpriteAtlas.Entry(id: sprite.id, sheets: sheets))
        }
        return Loaded(atlas: SpriteAtlas(entries: entries), files: files)
    }

    /// The folder's `*.svg` files (not its subfolders), each an image named after its file.
    private static func buildFromSVGs(folder: String, failure: (String, String) -> EngineError) throws -> ([SpriteSheet], [String]) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.lowercased().hasSuffix(".svg") }.sorted()
        } catch {
            throw failure("cannot list the SVG icon folder", "\(folder): \((error as NSError).localizedDescription)")
        }
        guard !names.isEmpty else { throw failure("the sprite folder holds no .svg files", folder) }
        var icons: [SpriteBuilder.Icon] = []
        var files: [String] = []
        for name in names {
            let path = folder + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else { throw failure("cannot read an SVG icon", path) }
            icons.append(SpriteBuilder.Icon(name: String(name.dropLast(4)), file: path, svg: [UInt8](data)))
            files.append(path)
        }
        do {
            return (try SpriteBuilder.build(icons), files)
        } catch {
            throw failure("SVG icon \(URL(fileURLWithPath: error.file).lastPathComponent): \(error.message)", error.description)
        }
    }
}
