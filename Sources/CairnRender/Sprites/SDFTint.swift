import CairnCore

/// How a signed-distance-field sprite image is coloured, as MapLibre's symbol shader does it: the
/// image's alpha is the distance field, its edge at 0.75 (6 of the 8 field pixels inside); the icon
/// is `icon-color` inside the edge and `icon-halo-color` up to `icon-halo-width` CSS px beyond it.
struct SDFTint: Hashable {
    let color: Color
    let haloColor: Color
    /// CSS px, in the image's own size (before `icon-size`).
    let haloWidth: Double

    init(_ icon: IconSymbolizer) {
        color = icon.color
        haloColor = icon.haloColor
        haloWidth = icon.haloColor.alpha > 0 ? max(0, icon.haloWidth / max(icon.size, 0.01)) : 0
    }

    /// The image's pixels coloured: premultiplied ARGB32, `width` × `height`, row by row.
    func colour(_ argb: [UInt32], sourceWidth: Int, x: Int, y: Int, width: Int, height: Int, pixelRatio: Double) -> [UInt32] {
        // MapLibre's edge gamma, 0.105 of the field per device pixel at ratio 1.
        let gamma = 0.105 / max(1, pixelRatio)
        // The field falls 1/8 per CSS px (`SDF_PX`), so a halo of w px reaches down to 0.75 - w/8.
        let haloEdge = max(0, 0.75 - haloWidth / 8)
        var result = [UInt32](repeating: 0, count: width * height)
        for row in 0..<height {
            let start = (y + row) * sourceWidth + x
            guard start >= 0, start + width <= argb.count else { continue }
            for column in 0..<width {
                let distance = Double(argb[start + column] >> 24) / 255
                let inside = Self.smoothstep(0.75 - gamma, 0.75 + gamma, distance) * color.alpha
                let halo = haloWidth > 0 ? Self.smoothstep(haloEdge - gamma, haloEdge + gamma, distance) * haloColor.alpha : 0
                // The fill over its halo, premultiplied.
                let alpha = inside + halo * (1 - inside)
                let red = color.red * inside + haloColor.red * halo * (1 - inside)
                let green = color.green * inside + haloColor.green * halo * (1 - inside)
                let blue = color.blue * inside + haloColor.blue * halo * (1 - inside)
                result[row * width + column] = Self.pack(alpha, red, green, blue)
            }
        }
        return result
    }

    private static func smoothstep(_ low: Double, _ high: Double, _ value: Double) -> Double {
        let t = min(1, max(0, (value - low) / (high - low)))
        return t * t * (3 - 2 * t)
    }

    private static func pack(_ a: Double, _ r: Double, _ g: Double, _ b: Double) -> UInt32 {
        func byte(_ v: Double) -> UInt32 { UInt32(min(255, max(0, (v * 255).rounded()))) }
        return byte(a) << 24 | byte(r) << 16 | byte(g) << 8 | byte(b)
    }
}
