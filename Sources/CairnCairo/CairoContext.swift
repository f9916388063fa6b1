internal import CCairo

/// How a stroke ends.
public enum CairoLineCap: Sendable { case butt, round, square }
/// How two stroke segments meet.
public enum CairoLineJoin: Sendable { case miter, round, bevel }
/// Which areas a path encloses.
public enum CairoFillRule: Sendable { case winding, evenOdd }

/// A drawing context on an image surface. Not thread-safe; use from one thread.
public final class CairoContext {
    let raw: OpaquePointer
    /// Kept alive for as long as the context draws on it.
    public let surface: CairoImageSurface

    public init(surface: CairoImageSurface) throws(CairoError) {
        let context = cairo_create(surface.raw)!
        let status = cairo_status(context)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_destroy(context)
            throw CairoError(status: status, while: "creating a context on a \(surface.width)x\(surface.height) surface")
        }
        raw = context
        self.surface = surface
    }

    deinit { cairo_destroy(raw) }

    /// Runs `body` between `cairo_save` and `cairo_restore`, so state changes inside do not leak out.
    public func withSavedState<R>(_ body: () throws -> R) rethrows -> R {
        cairo_save(raw)
        defer { cairo_restore(raw) }
        return try body()
    }

    /// `cairo_save` and `cairo_restore`, for state that spans several calls (pair them).
    public func save() { cairo_save(raw) }
    public func restore() { cairo_restore(raw) }

    /// Intersects the clip region with the current path, and clears the path.
    public func clip() { cairo_clip(raw) }

    /// The context's sticky error, if a drawing call failed.
    public func checkStatus(_ action: String) throws(CairoError) {
        let status = cairo_status(raw)
        if status != CAIRO_STATUS_SUCCESS { throw CairoError(status: status, while: action) }
    }

    // MARK: Source and state

    /// Straight-alpha colour channels in 0...1.
    public func setSource(red: Double, green: Double, blue: Double, alpha: Double) {
        cairo_set_source_rgba(raw, red, green, blue, alpha)
    }

    public func setLineWidth(_ width: Double) { cairo_set_line_width(raw, width) }
    public func setMiterLimit(_ limit: Double) { cairo_set_miter_limit(raw, limit) }

    public func setLineCap(_ cap: CairoLineCap) {
        switch cap {
        case .butt: cairo_set_line_cap(raw, CAIRO_LINE_CAP_BUTT)
        case .round: cairo_set_line_cap(raw, CAIRO_LINE_CAP_ROUND)
        case .square: cairo_set_line_cap(raw, CAIRO_LINE_CAP_SQUARE)
        }
    }

    public func setLineJoin(_ join: CairoLineJoin) {
        switch join {
        case .miter: cairo_set_line_join(raw, CAIRO_LINE_JOIN_MITER)
        case .round: cairo_set_line_join(raw, CAIRO_LINE_JOIN_ROUND)
        case .bevel: cairo_set_line_join(raw, CAIRO_LINE_JOIN_BEVEL)
        }
    }

    public func setFillRule(_ rule: CairoFillRule) {
        cairo_set_fill_rule(raw, rule == .evenOdd ? CAIRO_FILL_RULE_EVEN_ODD : CAIRO_FILL_RULE_WINDING)
    }

    /// Antialiasing on (Cairo's default) or off.
    public func setAntialias(_ enabled: Bool) {
        cairo_set_antialias(raw, enabled ? CAIRO_ANTIALIAS_DEFAULT : CAIRO_ANTIALIAS_NONE)
    }

    /// Dash lengths in device units; an empty array turns dashing off.
    public func setDash(_ dashes: [Double], offset: Double = 0) {
        dashes.withUnsafeBufferPointer { cairo_set_dash(raw, $0.baseAddress, Int32($0.count), offset) }
    }

    public func translate(_ x: Double, _ y: Double) { cairo_translate(raw, x, y) }
    public func rotate(_ radians: Double) { cairo_rotate(raw, radians) }

    // MARK: Paths

    public func newPath() { cairo_new_path(raw) }
    public func newSubPath() { cairo_new_sub_path(raw) }
    public func moveTo(_ x: Double, _ y: Double) { cairo_move_to(raw, x, y) }
    public func lineTo(_ x: Double, _ y: Double) { cairo_line_to(raw, x, y) }
    public func closePath() { cairo_close_path(raw) }
    public func rectangle(x: Double, y: Double, width: Double, height: Double) { cairo_rectangle(raw, x, y, width, height) }

    /// A full circle as its own sub-path.
    public func circle(centerX: Double, centerY: Double, radius: Double) {
        cairo_new_sub_path(raw)
        cairo_arc(raw, centerX, centerY, radius, 0, 2 * Double.pi)
        cairo_close_path(raw)
    }

    /// Moves each closed piece of the current path (each glyph contour, for text) rigidly: `transformFor`
    /// gets the middle x of the piece's bounds and returns the mapping for all its points.
    public func transformSubpaths(_ transformFor: (_ middleX: Double) -> (Double, Double) -> (Double, Double)) {
        guard let path = cairo_copy_path_flat(raw) else { return }
        defer { cairo_path_destroy(path) }
        guard path.pointee.status == CAIRO_STATUS_SUCCESS, let data = path.pointee.data else { return }
        let count = Int(path.pointee.num_data)
        var index = 0
        while index < count {
            // One subpath: from its MOVE_TO up to the next MOVE_TO.
            var end = index + Int(data[index].header.length)
            var minX = Double.infinity, maxX = -Double.infinity
            func extend(_ i: Int) {
                let type = data[i].header.type
                if type == CAIRO_PATH_MOVE_TO || type == CAIRO_PATH_LINE_TO {
                    minX = min(minX, data[i + 1].point.x)
                    maxX = max(maxX, data[i + 1].point.x)
                }
            }
            extend(index)
            while end < count && data[end].header.type != CAIRO_PATH_MOVE_TO {
                extend(end)
                end += Int(data[end].header.length)
            }
            if minX <= maxX {
                let transform = transformFor((minX + maxX) / 2)
                var i = index
                while i < end {
                    let type = data[i].header.type
                    if type == CAIRO_PATH_MOVE_TO || type == CAIRO_PATH_LINE_TO {
                        let moved = transform(data[i + 1].point.x, data[i + 1].point.y)
                        data[i + 1].point.x = moved.0
                        data[i + 1].point.y = moved.1
                    }
                    i += Int(data[i].header.length)
                }
            }
            index = end
        }
        cairo_new_path(raw)
        cairo_append_path(raw, path)
    }

    // MARK: Painting

    public func fill(preserve: Bool = false) {
        if preserve { cairo_fill_preserve(raw) } else { cairo_fill(raw) }
    }

    public func stroke(preserve: Bool = false) {
        if preserve { cairo_stroke_preserve(raw) } else { cairo_stroke(raw) }
    }

    public func paint() { cairo_paint(raw) }

    /// Sets every pixel to transparent black.
    public func clear() {
        cairo_save(raw)
        cairo_set_operator(raw, CAIRO_OPERATOR_CLEAR)
        cairo_paint(raw)
        cairo_restore(raw)
    }
}
