/// An axis-aligned rectangle in canvas pixels (y grows down).
public struct PixelRect: Sendable, Equatable, CustomStringConvertible {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    @inlinable public var maxX: Double { x + width }
    @inlinable public var maxY: Double { y + height }

    /// True when `other` lies wholly inside this rectangle.
    @inlinable
    public func contains(_ other: PixelRect) -> Bool {
        other.x >= x && other.y >= y && other.maxX <= maxX && other.maxY <= maxY
    }

    /// True when the two rectangles share interior area (touching edges do not count).
    @inlinable
    public func intersects(_ other: PixelRect) -> Bool {
        other.x < maxX && other.maxX > x && other.y < maxY && other.maxY > y
    }

    /// The rectangle grown by `amount` on every side.
    @inlinable
    public func expanded(by amount: Double) -> PixelRect {
        PixelRect(x: x - amount, y: y - amount, width: width + 2 * amount, height: height + 2 * amount)
    }

    /// The smallest rectangle holding both.
    public func union(_ other: PixelRect) -> PixelRect {
        let minX = Swift.min(x, other.x), minY = Swift.min(y, other.y)
        return PixelRect(x: minX, y: minY, width: Swift.max(maxX, other.maxX) - minX, height: Swift.max(maxY, other.maxY) - minY)
    }

    public var description: String { "(\(x), \(y), \(width)x\(height))" }
}
