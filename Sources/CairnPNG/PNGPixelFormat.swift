/// How the pixels handed to `PNGEncoder` are laid out, 4 bytes per pixel.
public enum PNGPixelFormat: Sendable {
    /// Cairo's ARGB32: native-endian 32-bit words with premultiplied alpha.
    case argb32Premultiplied
    /// Bytes R, G, B, A with straight alpha.
    case rgba

    var shimValue: Int32 {
        switch self {
        case .argb32Premultiplied: return 0
        case .rgba: return 1
        }
    }
}
