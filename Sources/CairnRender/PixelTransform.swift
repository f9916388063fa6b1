public import CairnCore

/// Maps world coordinates (EPSG:3857 metres, y growing north) to canvas pixels (y growing down).
public struct PixelTransform: Sendable, Equatable {
    /// The world position of the canvas's top-left corner (buffer included).
    public var origin: Point
    /// Canvas pixels per world unit.
    public var pixelsPerUnit: Double

    public init(origin: Point, pixelsPerUnit: Double) {
        self.origin = origin
        self.pixelsPerUnit = pixelsPerUnit
    }

    /// The transform for drawing `bounds` (a metatile, without buffer) into `framePixels` canvas pixels
    /// across, on a canvas that has `bufferPixels` extra pixels on every side.
    public init(bounds: BoundingBox, framePixels: Int, bufferPixels: Int) {
        let k = Double(framePixels) / bounds.width
        self.init(origin: Point(bounds.minX - Double(bufferPixels) / k, bounds.maxY + Double(bufferPixels) / k),
                  pixelsPerUnit: k)
    }

    @inlinable
    public func pixelX(_ x: Double) -> Double { (x - origin.x) * pixelsPerUnit }

    @inlinable
    public func pixelY(_ y: Double) -> Double { (origin.y - y) * pixelsPerUnit }

    /// The world position of a canvas pixel position.
    @inlinable
    public func world(x: Double, y: Double) -> Point {
        Point(origin.x + x / pixelsPerUnit, origin.y - y / pixelsPerUnit)
    }
}
