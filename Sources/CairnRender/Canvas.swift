public import CairnCore
internal import CairnCairo
internal import CairnPNG

/// A raster canvas for one metatile (with its buffer): draws fills, lines, circles and labels with Cairo
/// and Pango, then splits into PNG tiles.
///
/// Not thread-safe: create, draw and encode on one thread (Pango's font map is per thread).
public final class Canvas {
    public let width: Int
    public let height: Int
    /// Multiplies every symbolizer size (1, or 2 for @2x tiles).
    public let scale: Double
    public let transform: PixelTransform
    /// Labels reaching into this rectangle (the metatile without its buffer) are drawn, whole; the
    /// neighbouring metatile draws the same label where it crosses their shared edge.
    public let labelFrame: PixelRect
    /// The part of the canvas that is drawn (device pixels, whole): all of it, or one tile's square when
    /// only that tile is wanted now. Everything else (geometry, label placement) is the whole canvas's.
    public let window: PixelRect
    /// Label candidates are gathered this far (device px) beyond `labelFrame`, and beyond the canvas
    /// at least: they are not drawn but take part in collisions, so that neighbouring canvases agree.
    public var labelMargin: Double = 0

    let surface: CairoImageSurface
    let context: CairoContext
    /// Laid-out texts, kept across the canvases of this thread (a canvas is drawn on one thread).
    lazy var textStore = TextLayoutStore.current
    var labels: [LabelCandidate] = []
    var labelOrder = 0
    /// Images for `icon-image`, `fill-pattern` and `line-pattern`.
    public var sprites: SpriteAtlas = .empty
    /// Icon surfaces cut from the sprite sheets, kept for this canvas's thread.
    var iconSurfaces: [IconSurfaceKey: CairoImageSurface] = [:]
    /// The text of icon-only symbols.
    lazy var emptyTextLayout = PangoTextLayout(context: textStore.context, text: "", font: font(["Noto Sans Regular"], pixelSize: 10))

    // Copied out of `transform` so the hot path reads plain stored properties.
    let originX: Double
    let originY: Double
    let pixelsPerUnit: Double

    /// A label's joined glyph coverage (`drawFromGlyphRasters`), reused from label to label.
    var coverageScratch: [UInt8] = []
    /// False draws point labels from their outlines, as line labels are (tests compare the two).
    var drawsPointLabelsFromGlyphRasters = true

    /// Scratch buffers for lines drawn with an offset, reused to avoid per-line allocations.
    var scratchX: [Double] = []
    var scratchY: [Double] = []

    /// Consecutive points closer than this (in pixels) are dropped: invisible detail costs Cairo time.
    static let minimumSegment = 0.3

    /// - Parameters:
    ///   - width, height: canvas size in device pixels, buffer included.
    ///   - transform: maps world coordinates to these device pixels.
    ///   - labelFrame: the part of the canvas whose tiles are kept, in device pixels.
    ///   - window: the part that is drawn (whole pixels; default: the whole canvas). Its pixels are the
    ///     same as the whole canvas's there: the surface is the whole canvas's size (Cairo clips geometry
    ///     to the surface, and a smaller or shifted surface changes a few antialiased pixels by a level),
    ///     and only what reaches the window is drawn (a feature that does is drawn whole).
    public init(width: Int, height: Int, scale: Double, transform: PixelTransform, labelFrame: PixelRect,
                window: PixelRect? = nil) throws {
        guard scale > 0, scale.isFinite, transform.pixelsPerUnit > 0, transform.pixelsPerUnit.isFinite else {
            throw RenderError(.canvasCreation,
                              "cannot create a canvas with scale \(scale) and \(transform.pixelsPerUnit) pixels per unit: both must be positive")
        }
        let window = window ?? PixelRect(x: 0, y: 0, width: Double(width), height: Double(height))
        guard [window.x, window.y, window.width, window.height].allSatisfy({ $0 == $0.rounded() }), window.width >= 1, window.height >= 1 else {
            throw RenderError(.canvasCreation, "cannot draw a window \(window) of a canvas: it must be whole pixels")
        }
        do {
            surface = try CairoImageSurface(width: width, height: height)
            context = try CairoContext(surface: surface)
        } catch {
            throw RenderError(.canvasCreation, "cannot create a \(width)x\(height) canvas: \(error)")
        }
        self.window = window
        self.width = width
        self.height = height
        self.scale = scale
        self.transform = transform
        self.labelFrame = labelFrame
        originX = transform.origin.x
        originY = transform.origin.y
        pixelsPerUnit = transform.pixelsPerUnit
        // Only the label frame's pixels are kept (the buffer is there for placement and for paths reaching
        // in from outside), so only they are composited: a tile rendered alone would otherwise pay for a
        // canvas 2.25 times its size. Cairo rasterises a stroke differently under another clip, so a
        // window is clipped to the same frame, never to itself: its tile stays byte-identical.
        context.newPath()
        context.rectangle(x: labelFrame.x, y: labelFrame.y, width: labelFrame.width, height: labelFrame.height)
        context.clip()
    }

    // MARK: Background

    /// Paints the whole canvas with `color` at `opacity`, over what is there.
    public func fillBackground(_ color: Color, opacity: Double = 1) {
        let c = color.withOpacity(opacity)
        guard c.alpha > 0 else { return }
        context.withSavedState {
            if window.width < Double(width) || window.height < Double(height) {
                // Whole pixels: the window gets exactly the colour painting everything gives it.
                context.newPath()
                context.rectangle(x: window.x, y: window.y, width: window.width, height: window.height)
                context.clip()
            }
            setSource(c)
            context.paint()
        }
    }

    // MARK: Fills

    /// Fills polygons (each an exterior ring then holes) as one path, so overlapping polygons of one call
    /// are drawn once, as MapLibre draws one feature. Rings are turned so exteriors wind one way and
    /// holes the other: under the non-zero rule that fills the union of the polygons minus their holes,
    /// whatever winding the data came with.
    public func fill(_ polygons: [[[Point]]], _ s: FillSymbolizer) {
        if let pattern = s.pattern {
            fillPattern(polygons, pattern, s)
            return
        }
        let colour = s.color.withOpacity(s.opacity)
        let outline = s.antialias ? s.outlineColor.map { $0.withOpacity(s.opacity) } : nil
        guard colour.alpha > 0 || (outline?.alpha ?? 0) > 0 else { return }
        // What one path holds is the whole frame's, even when only a window is drawn: Cairo rasterises
        // a path as a whole, so a ring left out far away can still move a pixel inside the window.
        let visible = worldBounds(margin: 2 * scale)
        context.withSavedState {
            context.setFillRule(.winding)
            context.setAntialias(s.antialias)
            if outline != nil { context.setLineWidth(scale) }
            context.newPath()
            var empty = true
            for polygon in polygons {
                guard let exterior = polygon.first, exterior.count >= 3 else { continue }
                let box = Self.bounds(of: exterior)
                guard box.intersects(visible) else { continue }
                let clip = exceedsSafeRange(box)
                for (index, ring) in polygon.enumerated() where ring.count >= 3 {
                    if index > 0 && !Self.bounds(of: ring).intersects(visible) { continue }
                    // Exteriors counter-clockwise in world coordinates, holes clockwise.
                    let turned = (Self.signedArea(of: ring) < 0) == (index == 0) ? Array(ring.reversed()) : ring
                    if clip { appendClippedRing(turned, margin: 16) } else { appendPath(turned, closed: true) }
                    empty = false
                }
            }
            guard !empty else { return }
            if colour.alpha > 0 {
                setSource(colour)
                context.fill(preserve: outline != nil)
            }
            if let outline {
                setSource(outline)
                context.stroke()
            }
        }
    }

    /// Twice the signed area of a ring (positive when counter-clockwise with y up); only its sign is used.
    static func signedArea(of ring: [Point]) -> Double {
        ring.withUnsafeBufferPointer { points in
            guard var previous = points.last else { return 0 }
            var sum = 0.0
            for p in points {
                sum += (previous.x - p.x) * (previous.y + p.y)
                previous = p
            }
            return sum
        }
    }

    // MARK: Lines

    /// Strokes lines (also polygon outlines, passed as their rings).
    public func stroke(_ lines: [[Point]], _ s: LineSymbolizer) {
        if let pattern = s.pattern {
            strokePattern(lines, pattern, s)
            return
        }
        let colour = s.color.withOpacity(s.opacity)
        let width = s.width * scale
        guard colour.alpha > 0, width > 0, width.isFinite else { return }
        let gap = max(0, s.gapWidth * scale)
        let offset = s.offset.isFinite ? s.offset * scale : 0
        let offsets: [Double] = gap > 0 ? [offset - (gap + width) / 2, offset + (gap + width) / 2] : [offset]
        let reach = abs(offset) + (gap > 0 ? gap / 2 + width : width / 2)
        // The whole frame's lines, even when only a window is drawn (see `fill`).
        let visible = worldBounds(margin: reach * max(1, s.miterLimit) + 1)
        context.withSavedState {
            context.setLineWidth(width)
            context.setLineCap(s.cap.cairo)
            context.setLineJoin(s.join.cairo)
            context.setMiterLimit(max(1, s.miterLimit))
            if let dashes = s.dashArray, dashes.count > 0, dashes.allSatisfy({ $0 >= 0 && $0.isFinite }),
               dashes.contains(where: { $0 > 0 }) {
                context.setDash(dashes.map { $0 * width })
            }
            setSource(colour)
            context.newPath()
            for line in lines where line.count >= 2 {
                let box = Self.bounds(of: line)
                guard box.intersects(visible) else { continue }
                if exceedsSafeRange(box) {
                    // Offsets are rare and far lines rarer still: such lines are drawn without the offset.
                    appendClippedLine(line, margin: reach * max(1, s.miterLimit) + 16)
                } else if offsets.count == 1 && offsets[0] == 0 {
                    appendPath(line, closed: false)
                } else {
                    loadScratch(line)
                    for d in offsets { appendOffsetScratch(by: d) }
                }
            }
            context.stroke()
        }
    }

    // MARK: Circles

    /// Draws a circle at every point; the stroke lies outside the radius, as in MapLibre.
    public func circle(_ points: [Point], _ s: CircleSymbolizer) {
        let radius = s.radius * scale
        let strokeWidth = max(0, s.strokeWidth * scale)
        let fillColour = s.color.withOpacity(s.opacity)
        let strokeColour = s.strokeColor.withOpacity(s.strokeOpacity * s.opacity)
        guard radius >= 0, radius.isFinite, strokeWidth.isFinite else { return }
        let reach = radius + strokeWidth + 1
        // The whole frame's circles in one path, even when only a window is drawn (see `fill`).
        let x0 = labelFrame.x, y0 = labelFrame.y, x1 = labelFrame.maxX, y1 = labelFrame.maxY
        context.withSavedState {
            func addCircles(radius r: Double) {
                context.newPath()
                for p in points {
                    let x = (p.x - originX) * pixelsPerUnit, y = (originY - p.y) * pixelsPerUnit
                    guard x > x0 - reach, y > y0 - reach, x < x1 + reach, y < y1 + reach else { continue }
                    context.circle(centerX: x, centerY: y, radius: r)
                }
            }
            if fillColour.alpha > 0 && radius > 0 {
                addCircles(radius: radius)
                setSource(fillColour)
                context.fill()
            }
            if strokeWidth > 0 && strokeColour.alpha > 0 {
                addCircles(radius: radius + strokeWidth / 2)
                context.setLineWidth(strokeWidth)
                setSource(strokeColour)
                context.stroke()
            }
        }
    }

    // MARK: Output

    /// Encodes the `columns`×`rows` tiles of `tilePixels` device pixels that start `bufferPixels` in from
    /// the top-left corner, row by row, straight from the canvas memory. The tile at index `skipping`
    /// (already made) is left empty.
    public func encodeTiles(columns: Int, rows: Int, tilePixels: Int, bufferPixels: Int, format: TileImageFormat = .png32,
                            skipping: Int? = nil) throws -> [[UInt8]] {
        guard window.width == Double(width), window.height == Double(height) else {
            throw RenderError(.invalidTileGrid, "cannot split a canvas drawn only in \(window) into tiles")
        }
        guard columns > 0, rows > 0, tilePixels > 0, bufferPixels >= 0,
              bufferPixels + columns * tilePixels <= width, bufferPixels + rows * tilePixels <= height else {
            throw RenderError(.invalidTileGrid,
                              "cannot split a \(width)x\(height) canvas into \(columns)x\(rows) tiles of \(tilePixels) px after a \(bufferPixels) px buffer")
        }
        return try surface.withPixels { data, stride in
            var tiles: [[UInt8]] = []
            tiles.reserveCapacity(columns * rows)
            for row in 0..<rows {
                for column in 0..<columns {
                    let y = bufferPixels + row * tilePixels, x = bufferPixels + column * tilePixels
                    if tiles.count == skipping {
                        tiles.append([])
                        continue
                    }
                    do {
                        tiles.append(try format.encode(data + y * stride + x * 4, width: tilePixels, height: tilePixels, stride: stride))
                    } catch {
                        throw RenderError(.encoding, "cannot encode tile \(column),\(row) of the canvas: \(error)")
                    }
                }
            }
            return tiles
        }
    }

    /// The canvas pixels (Cairo's premultiplied ARGB32), read-only, e.g. to encode them other ways.
    public func withPixels<R>(_ body: (UnsafeRawPointer, _ stride: Int) throws -> R) rethrows -> R {
        try surface.withPixels { data, stride in try body(UnsafeRawPointer(data), stride) }
    }

    /// Encodes the drawn window (one tile's square, for a canvas made with a `window`) as a tile.
    public func encodeWindow(format: TileImageFormat) throws -> [UInt8] {
        let columns = Int(window.width), rows = Int(window.height)
        return try surface.withPixels { data, stride in
            do {
                return try format.encode(data + Int(window.y) * stride + Int(window.x) * 4, width: columns, height: rows, stride: stride)
            } catch {
                throw RenderError(.encoding, "cannot encode the \(columns)x\(rows) window of the canvas: \(error)")
            }
        }
    }

    /// Encodes the whole canvas, buffer included (or its window, when only that is drawn); nothing is drawn
    /// outside the label frame, so the buffer stays transparent.
    public func encodePNG() throws -> [UInt8] {
        let columns = Int(window.width), rows = Int(window.height)
        return try surface.withPixels { data, stride in
            do {
                return try PNGEncoder.encode(data + Int(window.y) * stride + Int(window.x) * 4, width: columns, height: rows, stride: stride,
                                             format: .argb32Premultiplied)
            } catch {
                throw RenderError(.encoding, "cannot encode the \(columns)x\(rows) canvas: \(error)")
            }
        }
    }

    // MARK: Helpers

    func setSource(_ c: Color) {
        context.setSource(red: c.red, green: c.green, blue: c.blue, alpha: min(1, max(0, c.alpha)))
    }

    /// The world area whose pixels are kept (the label frame; the canvas is clipped to it) grown by
    /// `margin` pixels: what a fill or a line must reach to be drawn at all.
    func worldBounds(margin: Double) -> BoundingBox {
        worldBounds(of: labelFrame.expanded(by: margin))
    }

    /// The world box under a rectangle of canvas pixels.
    func worldBounds(of rect: PixelRect) -> BoundingBox {
        BoundingBox(minX: originX + rect.x / pixelsPerUnit, minY: originY - rect.maxY / pixelsPerUnit,
                    maxX: originX + rect.maxX / pixelsPerUnit, maxY: originY - rect.y / pixelsPerUnit)
    }

    static func bounds(of points: [Point]) -> BoundingBox {
        var box = BoundingBox.empty
        for p in points { box.extend(with: p) }
        return box
    }

    /// Adds one ring or line to the current path, straight from world coordinates, skipping sub-pixel steps.
    func appendPath(_ points: [Point], closed: Bool) {
        let ox = originX, oy = originY, k = pixelsPerUnit
        let minimum = Self.minimumSegment * Self.minimumSegment
        points.withUnsafeBufferPointer { buffer in
            guard let first = buffer.first else { return }
            var lastX = (first.x - ox) * k, lastY = (oy - first.y) * k
            context.moveTo(lastX, lastY)
            var pendingX = lastX, pendingY = lastY, pending = false
            for i in 1..<buffer.count {
                let p = buffer[i]
                let x = (p.x - ox) * k, y = (oy - p.y) * k
                let dx = x - lastX, dy = y - lastY
                if dx * dx + dy * dy < minimum {
                    pendingX = x
                    pendingY = y
                    pending = true
                    continue
                }
                context.lineTo(x, y)
                lastX = x
                lastY = y
                pending = false
            }
            // A line must still end where it ends, however short its last step.
            if pending && !closed { context.lineTo(pendingX, pendingY) }
            if closed { context.closePath() }
        }
    }

    /// Loads a line's pixel coordinates into the scratch buffers, skipping sub-pixel steps.
    func loadScratch(_ points: [Point]) {
        scratchX.removeAll(keepingCapacity: true)
        scratchY.removeAll(keepingCapacity: true)
        let minimum = Self.minimumSegment * Self.minimumSegment
        for p in points {
            let x = (p.x - originX) * pixelsPerUnit, y = (originY - p.y) * pixelsPerUnit
            if let lx = scratchX.last, let ly = scratchY.last {
                let dx = x - lx, dy = y - ly
                if dx * dx + dy * dy < minimum { continue }
            }
            scratchX.append(x)
            scratchY.append(y)
        }
    }

    /// Adds the scratch line shifted sideways by `distance` pixels (positive: right of the direction of
    /// travel), mitring each vertex and capping the mitre so sharp turns do not spike.
    func appendOffsetScratch(by distance: Double) {
        let n = scratchX.count
        guard n >= 2 else { return }
        for i in 0..<n {
            // Right-hand normals of the segments before and after vertex i (y grows down).
            var nx = 0.0, ny = 0.0, count = 0.0
            var prevNX = 0.0, prevNY = 0.0
            if i > 0 {
                let dx = scratchX[i] - scratchX[i - 1], dy = scratchY[i] - scratchY[i - 1]
                let length = (dx * dx + dy * dy).squareRoot()
                prevNX = -dy / length
                prevNY = dx / length
                nx += prevNX
                ny += prevNY
                count += 1
            }
            if i < n - 1 {
                let dx = scratchX[i + 1] - scratchX[i], dy = scratchY[i + 1] - scratchY[i]
                let length = (dx * dx + dy * dy).squareRoot()
                let nextNX = -dy / length, nextNY = dx / length
                if count == 0 { prevNX = nextNX; prevNY = nextNY }
                nx += nextNX
                ny += nextNY
                count += 1
            }
            var length = (nx * nx + ny * ny).squareRoot()
            if length < 1e-9 { nx = prevNX; ny = prevNY; length = 1 }
            nx /= length
            ny /= length
            // Stretch so the offset edges stay parallel to both segments, up to 4× the distance.
            let cosine = max(0.25, nx * prevNX + ny * prevNY)
            let x = scratchX[i] + nx * distance / cosine, y = scratchY[i] + ny * distance / cosine
            if i == 0 { context.moveTo(x, y) } else { context.lineTo(x, y) }
        }
    }
}

extension LineCap {
    var cairo: CairoLineCap {
        switch self {
        case .butt: return .butt
        case .round: return .round
        case .square: return .square
        }
    }
}

extension LineJoin {
    var cairo: CairoLineJoin {
        switch self {
        case .bevel: return .bevel
        case .round: return .round
        case .miter: return .miter
        }
    }
}
