internal import CProj

/// A coordinate operation between two CRSs (`proj_create_crs_to_crs` followed by
/// `proj_normalize_for_visualization`, so geographic coordinates are x = longitude, y = latitude).
/// Not thread-safe: use it only on the thread whose context created it.
public final class ProjTransformation {
    let handle: OpaquePointer
    /// Kept so the context outlives the operation.
    public let context: ProjContext
    public let source: ProjCRS
    public let target: ProjCRS

    /// Builds the transformation. Both definitions go through `ProjCRS.resolving`, so an
    /// ESRI `.prj` is identified as its EPSG CRS and gets EPSG's datum shift.
    public convenience init(from source: String, to target: String, context: ProjContext = .forCurrentThread()) throws {
        try self.init(
            from: ProjCRS.resolving(source, context: context),
            to: ProjCRS.resolving(target, context: context),
            context: context)
    }

    /// Builds the transformation between two CRS objects made with `context`.
    public init(from source: ProjCRS, to target: ProjCRS, context: ProjContext) throws {
        let pair = "\(ProjContext.describe(source.definition)) -> \(ProjContext.describe(target.definition))"
        context.clearLog()
        guard let operation = proj_create_crs_to_crs_from_pj(context.handle, source.handle, target.handle, nil, nil)
        else {
            throw context.lastError(crs: pair, action: "creating transformation", fallback: "no operation found")
        }
        defer { proj_destroy(operation) }
        guard let normalized = proj_normalize_for_visualization(context.handle, operation) else {
            throw context.lastError(crs: pair, action: "normalizing axis order", fallback: "normalization failed")
        }
        self.handle = normalized
        self.context = context
        self.source = source
        self.target = target
    }

    deinit {
        proj_destroy(handle)
    }

    /// "source -> target", for messages.
    public var pairDescription: String {
        "\(ProjContext.describe(source.definition)) -> \(ProjContext.describe(target.definition))"
    }

    /// Transforms `count` points in place in one `proj_trans_generic` call. `x` and `y` advance
    /// by `stride` bytes per point (16 for interleaved x,y pairs).
    /// Points PROJ cannot transform come back as `HUGE_VAL` (infinity); returns how many did.
    @discardableResult
    public func transform(x: UnsafeMutablePointer<Double>, y: UnsafeMutablePointer<Double>, stride: Int, count: Int) -> Int {
        guard count > 0 else { return 0 }
        proj_errno_reset(handle)
        context.clearLog()
        proj_trans_generic(
            handle, PJ_FWD,
            x, stride, count,
            y, stride, count,
            nil, 0, 0,
            nil, 0, 0)
        var failures = 0
        let rawX = UnsafeMutableRawPointer(x)
        let rawY = UnsafeMutableRawPointer(y)
        for index in 0..<count {
            let offset = index &* stride
            if !rawX.load(fromByteOffset: offset, as: Double.self).isFinite
                || !rawY.load(fromByteOffset: offset, as: Double.self).isFinite
            {
                failures += 1
            }
        }
        return failures
    }

    /// Transforms interleaved x,y pairs in place (`xy.count` must be even); failed points become infinity.
    /// Returns how many points failed.
    @discardableResult
    public func transform(interleaved xy: UnsafeMutableBufferPointer<Double>) -> Int {
        precondition(xy.count % 2 == 0, "interleaved coordinates need an even count")
        guard let base = xy.baseAddress, xy.count > 0 else { return 0 }
        return transform(x: base, y: base + 1, stride: 2 * MemoryLayout<Double>.stride, count: xy.count / 2)
    }

    /// Transforms one point, throwing when PROJ cannot.
    public func transform(x: Double, y: Double) throws -> (x: Double, y: Double) {
        var outX = x
        var outY = y
        let failures = withUnsafeMutablePointer(to: &outX) { px in
            withUnsafeMutablePointer(to: &outY) { py in
                transform(x: px, y: py, stride: 0, count: 1)
            }
        }
        if failures > 0 {
            throw pointError(action: "transforming point (\(x), \(y))")
        }
        return (outX, outY)
    }

    /// The error for a point that came back as infinity.
    public func pointError(action: String) -> ProjError {
        let code = proj_errno(handle)
        var message = "the point is outside the domain of the transformation"
        if let logged = context.lastLogMessage, !logged.isEmpty {
            message = logged
        } else if code != 0, let text = proj_context_errno_string(context.handle, code) {
            message = String(cString: text)
        }
        return ProjError(errno: code, message: message, crs: pairDescription, action: action)
    }
}
