internal import CPNG

/// Decodes PNG images to 8-bit straight-alpha RGBA, mainly for tests and image comparison.
public enum PNGDecoder {
    /// A decoded image: `rgba` holds `width * height * 4` bytes, rows top to bottom.
    public struct Image: Sendable, Equatable {
        public var width: Int
        public var height: Int
        public var rgba: [UInt8]

        public init(width: Int, height: Int, rgba: [UInt8]) {
            self.width = width
            self.height = height
            self.rgba = rgba
        }
    }

    public static func decode(_ bytes: [UInt8]) throws(PNGError) -> Image {
        var pixels: UnsafeMutablePointer<UInt8>? = nil
        var width: Int32 = 0
        var height: Int32 = 0
        var error = [CChar](repeating: 0, count: Int(CAIRN_PNG_ERROR_SIZE))
        let status = bytes.withUnsafeBufferPointer { input in
            error.withUnsafeMutableBufferPointer {
                cairn_png_decode_rgba(input.baseAddress, input.count, &pixels, &width, &height, $0.baseAddress!)
            }
        }
        defer { free(pixels) }
        guard status == 0, let pixels else {
            let text = error.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw PNGError(.decodingFailed, "cannot decode \(bytes.count) bytes as PNG: \(text)")
        }
        let count = Int(width) * Int(height) * 4
        return Image(width: Int(width), height: Int(height), rgba: Array(UnsafeBufferPointer(start: pixels, count: count)))
    }
}
