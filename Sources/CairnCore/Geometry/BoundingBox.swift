/// An axis-aligned rectangle in one coordinate reference system.
public struct BoundingBox: Hashable, Sendable, CustomStringConvertible {
    public var minX: Double
    public var minY: Double
    public var maxX: Double
    public var maxY: Double

    @inlinable
    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    /// The box that contains nothing; extending it with a point gives that point's box.
    public static let empty = BoundingBox(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)

    @inlinable public var isEmpty: Bool { minX > maxX || minY > maxY }
    @inlinable public var width: Double { maxX - minX }
    @inlinable public var height: Double { maxY - minY }
    @inlinable public var center: Point { Point((minX + maxX) / 2, (minY + maxY) / 2) }

    @inlinable
    public mutating func extend(with point: Point) {
        if point.x < minX { minX = point.x }
        if point.y < minY { minY = point.y }
        if point.x > maxX { maxX = point.x }
        if point.y > maxY { maxY = point.y }
    }

    @inlinable
    public mutating func extend(with box: BoundingBox) {
        if box.isEmpty { return }
        if box.minX < minX { minX = box.minX }
        if box.minY < minY { minY = box.minY }
        if box.maxX > maxX { maxX = box.maxX }
        if box.maxY > maxY { maxY = box.maxY }
    }

    @inlinable
    public func intersects(_ other: BoundingBox) -> Bool {
        !(other.minX > maxX || other.maxX < minX || other.minY > maxY || other.maxY < minY)
    }

    @inlinable
    public func contains(_ point: Point) -> Bool {
        point.x >= minX && point.x <= maxX && point.y >= minY && point.y <= maxY
    }

    /// The box grown by `amount` on every side.
    @inlinable
    public func expanded(by amount: Double) -> BoundingBox {
        BoundingBox(minX: minX - amount, minY: minY - amount, maxX: maxX + amount, maxY: maxY + amount)
    }

    public var description: String { "\(minX),\(minY),\(maxX),\(maxY)" }
}
