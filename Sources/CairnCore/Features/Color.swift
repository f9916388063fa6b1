/// An sRGB colour with straight (not premultiplied) alpha, every channel in 0...1.
public struct Color: Hashable, Sendable, CustomStringConvertible {
    public var red: Double
    public var green: Double
    public var blue: Double
    public var alpha: Double

    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    public static let black = Color(red: 0, green: 0, blue: 0)
    public static let white = Color(red: 1, green: 1, blue: 1)
    public static let transparent = Color(red: 0, green: 0, blue: 0, alpha: 0)

    /// The colour with its alpha multiplied by `opacity`.
    public func withOpacity(_ opacity: Double) -> Color {
        Color(red: red, green: green, blue: blue, alpha: alpha * opacity)
    }

    /// CSS `rgba(r,g,b,a)` text, as MapLibre's `to-string` gives it.
    public var description: String {
        func c(_ v: Double) -> Int { Int((v * 255).rounded()) }
        return "rgba(\(c(red)),\(c(green)),\(c(blue)),\(alpha))"
    }
}
