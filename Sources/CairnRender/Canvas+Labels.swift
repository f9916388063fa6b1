public import CairnCore
internal import CairnCairo

struct FontKey: Hashable {
    var names: [String]
    var pixelSize: Double
}

/// A text laid out one way: the same name on many features is shaped once per canvas.
struct TextLayoutKey: Hashable {
    var text: String
    var font: FontKey
    /// `text-max-width` in pixels; 0 when not wrapped.
    var maxWidth: Double
    var alignment: PangoTextAlignment
    var letterSpacing: Double
    var lineSpacing: Double
}

/// Layouts of one label text, one per alignment (variable anchors with `text-justify: auto` use several).
private struct LayoutKey: Hashable {
    var alignment: PangoTextAlignment
}

extension Canvas {
    /// Adds the label candidates of one feature. Nothing is drawn until `drawLabels()` (or
    /// `placeLabels()` and `draw(_:)`).
    ///
    /// Point placement puts the text at each point, at the middle of each line, or at an interior point
    /// of the largest part of a polygon feature (one label per feature); line placement sets it letter
    /// by letter along each line (or polygon ring) every `spacing` pixels, skipping lines shorter than
    /// the text or bending more than `maxAngle`.
    /// - Parameter priority: higher is placed first; equal priorities keep insertion order.
    public func addLabel(for geometry: Geometry, _ s: TextSymbolizer, priority: Int = 0) {
        guard s.size > 0, s.size.isFinite, s.text.contains(where: { !$0.isWhitespace }) else { return }
        let text = TextNormalization.nfc(s.text)
        switch s.placement {
        case .point:
            addPointLabels(text: text, anchors: pointAnchors(of: geometry), s, priority: priority)
        case .line, .lineCenter:
            switch geometry {
            case .points: return
            case .lines(let lines): addLineLabels(text: text, lines: lines, s, priority: priority)
            case .polygons(let polygons): addLineLabels(text: text, lines: polygons.flatMap { $0 }, s, priority: priority)
            }
        }
    }

    /// Places the collected labels (see `placeLabels`) and draws those reaching into the label frame,
    /// whole: a label crossing the frame's edge is drawn here and by the neighbour alike, each keeping
    /// its half. Returns how many were drawn; the candidates are then cleared.
    @discardableResult
    public func drawLabels() -> Int {
        let placed = placeLabels()
        draw(placed)
        return placed.count
    }

    /// Decides which candidates are placed, highest priority first (then insertion order), each at the
    /// first of its options (variable anchors) that collides with nothing placed before, unless overlap
    /// is allowed. Candidates wholly outside the label frame take part but are not returned. Placement
    /// needs no pixels: a canvas drawing one tile's window places its whole metatile's labels first.
    /// The candidates are then cleared.
    public func placeLabels() -> PlacedLabels {
        let ordered = labels.sorted { a, b in
            a.priority != b.priority ? a.priority > b.priority : a.order < b.order
        }
        labels.removeAll()
        var index = CollisionIndex(width: width, height: height, margin: labelMargin)
        var placed: [PlacedSymbol] = []
        for label in ordered {
            if let icon = label.icon {
                if let symbol = place(label, with: icon, in: &index) { placed.append(symbol) }
                continue
            }
            let chosen = label.style.allowOverlap ? label.options.first
                : label.options.first { option in !option.boxes.contains(where: { index.collides($0) }) }
            guard let option = chosen else { continue }
            for box in option.boxes { index.insert(box) }
            if option.drawable { placed.append(PlacedSymbol(style: label.style, option: option, icon: nil, drawsText: true)) }
        }
        return PlacedLabels(symbols: placed)
    }

    /// Draws labels placed by `placeLabels()` of this canvas or of another with the same size and
    /// transform, on the same thread; only those that can reach the drawn window.
    public func draw(_ placed: PlacedLabels) {
        let window = self.window
        for symbol in placed.symbols {
            if let icon = symbol.icon, icon.box.expanded(by: 2).intersects(window) { draw(icon) }
            // Letters set along a line can put ink (stacked diacritics) past their boxes: a text size of margin.
            guard symbol.drawsText, symbol.option.extent.expanded(by: symbol.style.size * scale + 2).intersects(window) else { continue }
            draw(symbol.style, symbol.option)
        }
    }

    /// Places the collected labels (see `placeLabels`) without drawing them: the text and world box
    /// (around its ink and halo) of each label this canvas would draw. For checking that
    /// neighbouring canvases agree.
    public func placedLabelBoxes() -> [(text: String, box: BoundingBox)] {
        placeLabels().symbols.filter(\.drawsText).map { ($0.style.text, worldBounds(of: $0.option.extent)) }
    }

    // MARK: Point placement

    private func pointAnchors(of geometry: Geometry) -> [Point] {
        switch geometry {
        case .points(let points):
            return points
        case .lines(let lines):
            return lines.compactMap { line in
                let polyline = PixelPolyline(line, transform: transform, minimumSegment: 0)
                guard polyline.count >= 2 else { return line.first }
                let p = polyline.position(at: polyline.length / 2)
                return transform.world(x: p.x, y: p.y)
            }
        case .polygons(let polygons):
            // One label per feature, on its largest part (MapLibre would label every part).
            guard let largest = polygons.max(by: { Self.area(of: $0) < Self.area(of: $1) }) else { return [] }
            return InteriorPoint.of(largest, tolerance: 2 * scale / pixelsPerUnit).map { [$0] } ?? []
        }
    }

    /// Area of a polygon (exterior minus holes), whatever the rings' winding.
    static func area(of polygon: [[Point]]) -> Double {
        var total = 0.0
        for (index, ring) in polygon.enumerated() where ring.count >= 3 {
            var sum = 0.0
            var previous = ring[ring.count - 1]
            for current in ring {
                sum += (previous.x - current.x) * (previous.y + current.y)
                previous = current
            }
            total += index == 0 ? abs(sum) / 2 : -abs(sum) / 2
        }
        return total
    }

    /// Where label candidates are gathered: the label frame with its margin, and the canvas.
    var labelRegion: PixelRect {
        labelFrame.expanded(by: labelMargin).union(PixelRect(x: 0, y: 0, width: Double(width), height: Double(height)))
    }

    private func addPointLabels(text: String, anchors: [Point], _ s: TextSymbolizer, priority: Int) {
        let size = s.size * scale
        let anchorsToTry = s.variableAnchors.isEmpty ? [s.anchor] : s.variableAnchors
        let region = labelRegion
        // Anchors this far outside the region cannot put any text in it.
        let wrap = s.maxWidth > 0 ? s.maxWidth * size : nil
        let offsetReach = max(abs(s.offset.x) + abs(s.offset.y), abs(s.radialOffset ?? 0))
        let reach = (wrap ?? size * Double(text.count)) + size * (2 + offsetReach) + s.haloWidth * scale
        var layouts: [LayoutKey: PangoTextLayout] = [:]
        for anchor in anchors {
            let ax = transform.pixelX(anchor.x), ay = transform.pixelY(anchor.y)
            guard ax > region.x - reach, ay > region.y - reach, ax < region.maxX + reach, ay < region.maxY + reach else { continue }
            var options: [LabelOption] = []
            var reachesRegion = false
            for textAnchor in anchorsToTry {
                let key = LayoutKey(alignment: alignment(s, anchor: textAnchor))
                let textLayout = layouts[key] ?? pointLayout(text: text, s, size: size, alignment: key.alignment)
                layouts[key] = textLayout
                let logical = textLayout.logicalRect
                let (dx, dy) = Self.offset(for: textAnchor, s, variable: !s.variableAnchors.isEmpty)
                let x = ax + dx * size, y = ay + dy * size
                let left: Double, top: Double
                switch textAnchor {
                case .left, .topLeft, .bottomLeft: left = x
                case .right, .topRight, .bottomRight: left = x - logical.width
                case .center, .top, .bottom: left = x - logical.width / 2
                }
                switch textAnchor {
                case .top, .topLeft, .topRight: top = y
                case .bottom, .bottomLeft, .bottomRight: top = y - logical.height
                case .center, .left, .right: top = y - logical.height / 2
                }
                let originX = left - logical.x, originY = top - logical.y
                let box = PixelRect(x: left, y: top, width: logical.width, height: logical.height)
                let ink = textLayout.inkRect
                let inked = PixelRect(x: originX + ink.x, y: originY + ink.y, width: ink.width, height: ink.height)
                let extent = box.union(inked).expanded(by: max(0, s.haloWidth) * scale)
                reachesRegion = reachesRegion || region.intersects(extent)
                options.append(LabelOption(layout: textLayout, placement: .point(x: originX, y: originY),
                                           boxes: [box.expanded(by: max(0, s.padding) * scale)], extent: extent,
                                           drawable: labelFrame.intersects(extent)))
            }
            // All options are kept whenever one reaches the region, so every canvas that sees the
            // candidate tries the same options in the same order.
            guard reachesRegion else { continue }
            labels.append(LabelCandidate(style: s, options: options, priority: priority, order: nextLabelOrder()))
        }
    }

    /// The text offset in ems for `anchor`: `text-radial-offset` (or, with variable anchors, the
    /// magnitude of `text-offset`) pushes the text away from the point on the anchor's side.
    static func offset(for anchor: TextAnchor, _ s: TextSymbolizer, variable: Bool) -> (Double, Double) {
        let radial = s.radialOffset.map { max(0, $0) }
        guard radial != nil || variable else { return s.offset }
        let h = radial.map { $0 / 2.0.squareRoot() }
        let ox = radial ?? abs(s.offset.x), oy = radial ?? abs(s.offset.y)
        var x = 0.0, y = 0.0
        switch anchor {
        case .left: x = ox
        case .right: x = -ox
        case .topLeft, .bottomLeft: x = h ?? ox
        case .topRight, .bottomRight: x = -(h ?? ox)
        case .center, .top, .bottom: break
        }
        switch anchor {
        case .top: y = oy
        case .bottom: y = -oy
        case .topLeft, .topRight: y = h ?? oy
        case .bottomLeft, .bottomRight: y = -(h ?? oy)
        case .center, .left, .right: break
        }
        return (x, y)
    }

    /// The text laid out for point placement, wrapped to `text-max-width` into balanced lines: as few
    /// lines as greedy wrapping gives, but as narrow as they can be, so no line ends with an orphan word.
    private func pointLayout(text: String, _ s: TextSymbolizer, size: Double, alignment: PangoTextAlignment) -> PangoTextLayout {
        let fontKey = FontKey(names: s.fontNames, pixelSize: size)
        let lineSpacing = s.lineHeight > 0 ? s.lineHeight / 1.2 : 0
        // One name labels many features and every tile around them: shaped once per thread.
        let key = TextLayoutKey(text: text, font: fontKey, maxWidth: s.maxWidth > 0 ? s.maxWidth * size : 0, alignment: alignment,
                                letterSpacing: s.letterSpacing * size, lineSpacing: lineSpacing)
        return textStore.layout(key) {
            func layout(wrap: Double?) -> PangoTextLayout {
                PangoTextLayout(context: textStore.context, text: text, font: font(s.fontNames, pixelSize: size), wrapWidth: wrap,
                                alignment: alignment, letterSpacing: s.letterSpacing * size, lineSpacing: lineSpacing)
            }
            return balancedLayout(maxWidth: key.maxWidth, layout)
        }
    }

    /// As few lines as greedy wrapping at `maxWidth` gives (0: no wrapping), at the narrowest width
    /// that keeps that many lines, to a pixel.
    private func balancedLayout(maxWidth: Double, _ layout: (Double?) -> PangoTextLayout) -> PangoTextLayout {
        guard maxWidth > 0 else { return layout(nil) }
        let greedy = layout(maxWidth)
        let lines = greedy.lineCount
        guard lines > 1 else { return greedy }
        // No `lines` lines are narrower than the unwrapped text shared evenly: the search starts there.
        let oneLine = layout(nil).logicalRect.width
        var low = max(0, oneLine / Double(lines) - 1), high = min(maxWidth, greedy.logicalRect.width)
        var best = greedy
        while high - low > 1 {
            let middle = (low + high) / 2
            let candidate = layout(middle)
            if candidate.lineCount <= lines {
                high = middle
                best = candidate
            } else {
                low = middle
            }
        }
        return best
    }

    // MARK: Line placement

    private func addLineLabels(text: String, lines: [[Point]], _ s: TextSymbolizer, priority: Int) {
        let size = s.size * scale
        let region = labelRegion
        let visible = worldBounds(of: region.expanded(by: size))
        var layout: PangoTextLayout?
        var clusters: [(start: Double, end: Double)] = []
        for line in lines where line.count >= 2 && Self.bounds(of: line).intersects(visible) {
            let polyline = PixelPolyline(line, transform: transform, minimumSegment: Self.minimumSegment)
            guard polyline.count >= 2 else { continue }
            let textLayout: PangoTextLayout
            if let layout {
                textLayout = layout
            } else {
                let key = TextLayoutKey(text: text, font: FontKey(names: s.fontNames, pixelSize: size), maxWidth: 0, alignment: .left,
                                        letterSpacing: s.letterSpacing * size, lineSpacing: 0)
                let stored = textStore.layoutWithClusters(key) {
                    PangoTextLayout(context: textStore.context, text: text, font: font(s.fontNames, pixelSize: size), wrapWidth: nil,
                                    alignment: .left, letterSpacing: s.letterSpacing * size)
                }
                textLayout = stored.layout
                layout = stored.layout
                clusters = stored.clusters
            }
            let logical = textLayout.logicalRect
            let textWidth = logical.width
            let length = polyline.length
            guard textWidth > 0, length >= textWidth else { continue }
            let spacing = s.placement == .lineCenter ? 0 : s.spacing * scale
            for centre in lineAnchors(length: length, textWidth: textWidth, spacing: spacing) {
                let start = centre - textWidth / 2 + s.offset.x * size
                guard start >= 0, start + textWidth <= length,
                      !polyline.bendsTooMuch(from: start, to: start + textWidth, window: size,
                                             maxAngle: s.maxAngle * Double.pi / 180) else { continue }
                let first = polyline.position(at: start), last = polyline.position(at: start + textWidth)
                let path = LineLabelPath(line: polyline, start: start, textWidth: textWidth,
                                         reversed: s.keepUpright && last.x < first.x, textLeft: logical.x,
                                         middle: logical.y + logical.height / 2 - s.offset.y * size, clusters: clusters)
                // One box per letter, square, at the letter's place on the line.
                var boxes: [PixelRect] = []
                var extents: [PixelRect] = []
                let side = logical.height
                let letters = clusters.isEmpty ? [(start: logical.x, end: logical.x + textWidth)] : clusters
                boxes.reserveCapacity(letters.count)
                for letter in letters {
                    let (x, y) = path.map((letter.start + letter.end) / 2, path.middle + s.offset.y * size)
                    let half = max(side, letter.end - letter.start) / 2
                    let box = PixelRect(x: x - half, y: y - side / 2, width: 2 * half, height: side)
                    boxes.append(box.expanded(by: max(0, s.padding) * scale))
                    extents.append(box.expanded(by: max(0, s.haloWidth) * scale))
                }
                guard extents.contains(where: { region.intersects($0) }) else { continue }
                let option = LabelOption(layout: textLayout, placement: .line(path), boxes: boxes,
                                         extent: extents.dropFirst().reduce(extents[0]) { $0.union($1) },
                                         drawable: extents.contains { labelFrame.intersects($0) })
                labels.append(LabelCandidate(style: s, options: [option], priority: priority, order: nextLabelOrder()))
            }
        }
    }

    /// Label centres along a line: its middle, then every `spacing` pixels either way while the text fits.
    private func lineAnchors(length: Double, textWidth: Double, spacing: Double) -> [Double] {
        let middle = length / 2
        var anchors = [middle]
        guard spacing > 0 else { return anchors }
        var step = spacing
        while middle + step <= length - textWidth / 2 {
            anchors.append(middle + step)
            anchors.append(middle - step)
            step += spacing
        }
        return anchors
    }

    // MARK: Shared

    private func nextLabelOrder() -> Int {
        labelOrder += 1
        return labelOrder
    }

    private func alignment(_ s: TextSymbolizer, anchor: TextAnchor) -> PangoTextAlignment {
        switch s.justify {
        case .left: return .left
        case .center: return .center
        case .right: return .right
        case .auto:
            switch anchor {
            case .left, .topLeft, .bottomLeft: return .left
            case .right, .topRight, .bottomRight: return .right
            case .center, .top, .bottom: return .center
            }
        }
    }

    func font(_ names: [String], pixelSize: Double) -> PangoFont {
        textStore.font(names, pixelSize: pixelSize)
    }

    private func draw(_ s: TextSymbolizer, _ option: LabelOption) {
        if drawsPointLabelsFromGlyphRasters, case .point(let x, let y) = option.placement, drawFromGlyphRasters(s, layout: option.layout, x: x, y: y) { return }
        context.withSavedState {
            context.newPath()
            switch option.placement {
            case .point(let x, let y):
                option.layout.addPath(to: context, x: x, y: y)
            case .line(let path):
                option.layout.addPath(to: context, x: 0, y: 0)
                context.transformSubpaths(path.letterTransform)
            }
            let halo = s.haloColor.withOpacity(s.opacity)
            if s.haloWidth > 0 && halo.alpha > 0 {
                setSource(halo)
                context.setLineWidth(2 * s.haloWidth * scale)
                context.setLineJoin(.round)
                context.stroke(preserve: true)
            }
            setSource(s.color.withOpacity(s.opacity))
            context.fill()
        }
    }
}
