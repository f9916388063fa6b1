import CairnCore
import CairnProj

extension ProjTransformation {
    /// Builds the transformation between two layer CRS definitions on `context`'s thread.
    /// A `.text` ESRI `.prj` without authority code or `TOWGS84` is identified as its EPSG CRS
    /// first, so the datum shift is applied (see `ProjCRS.resolving`).
    public convenience init(
        from source: CRSDefinition, to target: CRSDefinition, context: ProjContext = .forCurrentThread()
    ) throws {
        try self.init(from: source.projInput, to: target.projInput, context: context)
    }

    /// Transforms all points in place with one `proj_trans_generic` call.
    /// Throws if any point cannot be transformed, naming the first one; the array then holds
    /// the transformed points with infinity in place of the failed ones.
    public func transform(_ points: inout [Point]) throws {
        let failures = points.withUnsafeMutableBufferPointer { buffer in
            buffer.transformInPlace(with: self)
        }
        guard failures > 0 else { return }
        let first = points.firstIndex { !$0.x.isFinite || !$0.y.isFinite } ?? 0
        throw pointError(action: "transforming \(points.count) points (\(failures) failed, the first at index \(first))")
    }

    /// Transforms one point, throwing when PROJ cannot.
    public func transform(_ point: Point) throws -> Point {
        let result = try transform(x: point.x, y: point.y)
        return Point(result.x, result.y)
    }
}

extension UnsafeMutableBufferPointer where Element == Point {
    /// Transforms the points in place in one batch; failed points become infinity.
    /// Returns how many failed.
    @discardableResult
    func transformInPlace(with transformation: ProjTransformation) -> Int {
        guard let base = baseAddress, count > 0 else { return 0 }
        precondition(Point.isInterleavedPair, "Point must be laid out as two adjacent Doubles")
        let raw = UnsafeMutableRawPointer(base)
        let x = raw.assumingMemoryBound(to: Double.self)
        let y = (raw + MemoryLayout<Double>.stride).assumingMemoryBound(to: Double.self)
        return transformation.transform(x: x, y: y, stride: MemoryLayout<Point>.stride, count: count)
    }
}

extension Point {
    /// True when `Point` is x then y as two adjacent Doubles, which batch transforms rely on.
    static let isInterleavedPair: Bool =
        MemoryLayout<Point>.stride == 2 * MemoryLayout<Double>.stride
        && MemoryLayout<Point>.offset(of: \Point.x) == 0
        && MemoryLayout<Point>.offset(of: \Point.y) == MemoryLayout<Double>.stride
}

extension ProjContext {
    /// The EPSG code of a layer CRS: the code itself for `.epsg`, the code the text declares,
    /// or the best `proj_identify` match with at least 70 % confidence; nil if none or unparsable.
    public func identifyEPSG(_ crs: CRSDefinition) -> Int? {
        switch crs {
        case .epsg(let code):
            return code
        case .text(let text):
            return (try? ProjCRS(text, context: self))?.identifyEPSG()
        }
    }

    /// A short name of a layer CRS for error messages: `EPSG:9210` or `VN-2000_TM-3_105-45 (WKT)`.
    public static func describe(_ crs: CRSDefinition) -> String {
        describe(crs.projInput)
    }
}
