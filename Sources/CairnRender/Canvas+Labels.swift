public import CairnCore
internal import CairnCairo

struct FontKey: Hashable {
    var names: [String]
    var pixelSize: Double
}

extension Canvas {
    /// Adds the label candidates of one feature. Nothing is drawn until `drawLabels()`.
    ///
    /// Point placement puts the text at each point, at the middle of each line, or at an interior point
    /// of each polygon; line placement bends it along each line (or polygon ring) every `spacing` pixels,
    /// skipping lines shorter than the text or bending more than `maxAngle`.
    /// - Parameter priority: higher is placed first; equal priorities keep insertion order.
    public func addLabel(for geometry: Geometry, _ s: TextSymbolizer, priority: Int = 0) {
        guard s.size > 0, s.size.isFinite, s.text.contains(where: { !$0.isWhitespace }) else { return }
        let text = TextNormalization.nfc(s.text)
        switch s.placement {
        case .point:
            addPointLabels(text: text, anchors: pointAnchors(of: geometry), s, priority: priority)
        case .line:
            switch geometry {
            case .points: return
            case .lines(let lines): addLineLabels(text: text, lines: lines, s, priority: priority)
            case .polygons(let polygons): addLineLabels(text: text, lines: polygons.flatMap { $0 }, s, priority: priority)
            }
        }
    }

    /// Places the collected labels, highest priority first, without overlaps (unless allowed) and draws
    /// those wholly inside `labelFrame`. Returns how many were drawn; the candidates are then cleared.
    @discardableResult
    public func drawLabels() -> Int {
        let placed = placeLabels()
        draw(placed)
        return placed.count
    }

    /// Places the collected labels (as `drawLabels()`) without drawing them: placement needs no
    /// pixels. The candidates are then cleared.
    public func placeLabels() -> PlacedLabels {
        let ordered = labels.sorted { a, b in
            a.priority != b.priority ? a.priority > b.priority : a.order < b.order
        }
        labels.removeAll()
        var index = CollisionIndex(width: width, height: height)
        var placed: [PlacedSymbol] = []
        for label in ordered {
            if let icon = label.icon {
                if let symbol = place(label, with: icon, in: &index) { placed.append(symbol) }
                continue
            }
            if !label.style.allowOverlap && label.boxes.contains(where: { index.collides($0) }) { continue }
            for box in label.boxes { index.insert(box) }
            if label.drawable { placed.append(PlacedSymbol(label: label, icon: nil, drawsText: true)) }
        }
        return PlacedLabels(symbols: placed)
    }

    /// Draws labels placed by `placeLabels()` of this canvas or of another with the same size and
    /// transform, on the same thread; only those that can reach the drawn window.
    public func draw(_ placed: PlacedLabels) {
        let window = self.window
        for symbol in placed.symbols {
            if let icon = symbol.icon, icon.box.expanded(by: 2).intersects(window) { draw(icon) }
            guard symbol.drawsText else { continue }
            let label = symbol.label
            // Ink can pass the collision boxes (bent text, stacked diacritics, halo): a text size of margin.
            let margin = (label.style.size + max(0, label.style.haloWidth)) * scale + 2
            guard label.boxes.contains(where: { $0.expanded(by: margin).intersects(window) }) else { continue }
            draw(label)
        }
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
            return polygons.compactMap(InteriorPoint.of)
        }
    }

    private func addPointLabels(text: String, anchors: [Point], _ s: TextSymbolizer, priority: Int) {
        let size = s.size * scale
        let wrap = s.maxWidth > 0 ? s.maxWidth * size : nil
        // Anchors this far outside the canvas cannot put any text on it.
        let reach = (wrap ?? size * Double(text.count)) + size * (2 + abs(s.offset.x) + abs(s.offset.y)) + s.haloWidth * scale
        var layout: PangoTextLayout?
        for anchor in anchors {
            var ax = transform.pixelX(anchor.x), ay = transform.pixelY(anchor.y)
            guard ax > -reach, ay > -reach, ax < Double(width) + reach, ay < Double(height) + reach else { continue }
            let textLayout = layout ?? PangoTextLayout(
                context: textContext, text: text, font: font(s.fontNames, pixelSize: size), wrapWidth: wrap,
                alignment: alignment(s), letterSpacing: s.letterSpacing * size,
                lineSpacing: s.lineHeight > 0 ? s.lineHeight / 1.2 : 0)
            layout = textLayout
            let logical = textLayout.logicalRect
            ax += s.offset.x * size
            ay += s.offset.y * size
            let left: Double, top: Double
            switch s.anchor {
            case .left, .topLeft, .bottomLeft: left = ax
            case .right, .topRight, .bottomRight: left = ax - logical.width
            case .center, .top, .bottom: left = ax - logical.width / 2
            }
            switch s.anchor {
            case .top, .topLeft, .topRight: top = ay
            case .bottom, .bottomLeft, .bottomRight: top = ay - logical.height
            case .center, .left, .right: top = ay - logical.height / 2
            }
            let originX = left - logical.x, originY = top - logical.y
            let box = PixelRect(x: left, y: top, width: logical.width, height: logical.height)
            let ink = textLayout.inkRect
            let inked = PixelRect(x: originX + ink.x, y: originY + ink.y, width: ink.width, height: ink.height)
            let extent = box.union(inked).expanded(by: max(0, s.haloWidth) * scale)
            guard let drawable = classify([extent]) else { continue }
            labels.append(LabelCandidate(layout: textLayout, style: s, placement: .point(x: originX, y: originY),
                                         boxes: [box.expanded(by: max(0, s.padding) * scale)], drawable: drawable,
                                         priority: priority, order: nextLabelOrder()))
        }
    }

    // MARK: Line placement

    private func addLineLabels(text: String, lines: [[Point]], _ s: TextSymbolizer, priority: Int) {
        let size = s.size * scale
        let visible = worldBounds(margin: size)
        var layout: PangoTextLayout?
        for line in lines where line.count >= 2 && Self.bounds(of: line).intersects(visible) {
            let polyline = PixelPolyline(line, transform: transform, minimumSegment: Self.minimumSegment)
            guard polyline.count >= 2 else { continue }
            let textLayout = layout ?? PangoTextLayout(
                context: textContext, text: text, font: font(s.fontNames, pixelSize: size), wrapWidth: nil,
                alignment: .left, letterSpacing: s.letterSpacing * size)
            layout = textLayout
            let logical = textLayout.logicalRect
            let textWidth = logical.width
            let length = polyline.length
            guard textWidth > 0, length >= textWidth else { continue }
            for centre in lineAnchors(length: length, textWidth: textWidth, spacing: s.spacing * scale) {
                let start = centre - textWidth / 2 + s.offset.x * size
                guard start >= 0, start + textWidth <= length,
                      !polyline.bendsTooMuch(from: start, to: start + textWidth, window: size,
                                             maxAngle: s.maxAngle * Double.pi / 180) else { continue }
                let first = polyline.position(at: start), last = polyline.position(at: start + textWidth)
                let path = LineLabelPath(line: polyline, start: start, textWidth: textWidth, reversed: last.x < first.x,
                                         textLeft: logical.x, middle: logical.y + logical.height / 2 - s.offset.y * size)
                // Square boxes along the text stand in for its bent outline.
                let side = logical.height
                let count = max(1, Int((textWidth / side).rounded(.up)))
                var boxes: [PixelRect] = []
                var extents: [PixelRect] = []
                boxes.reserveCapacity(count)
                for i in 0..<count {
                    let u = logical.x + (Double(i) + 0.5) * textWidth / Double(count)
                    let (x, y) = path.map(u, path.middle + s.offset.y * size)
                    let box = PixelRect(x: x - side / 2, y: y - side / 2, width: side, height: side)
                    boxes.append(box.expanded(by: max(0, s.padding) * scale))
                    extents.append(box.expanded(by: max(0, s.haloWidth) * scale))
                }
                guard let drawable = classify(extents) else { continue }
                labels.append(LabelCandidate(layout: textLayout, style: s, placement: .line(path), boxes: boxes,
                                             drawable: drawable, priority: priority, order: nextLabelOrder()))
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

    /// nil when the label crosses the label frame's edge (dropped here and on the neighbour alike) or
    /// lies off the canvas; true when wholly inside the frame; false when wholly in the buffer.
    private func classify(_ extents: [PixelRect]) -> Bool? {
        if extents.allSatisfy({ labelFrame.contains($0) }) { return true }
        if extents.contains(where: { labelFrame.intersects($0) }) { return nil }
        let canvas = PixelRect(x: 0, y: 0, width: Double(width), height: Double(height))
        return extents.contains(where: { canvas.intersects($0) }) ? false : nil
    }

    private func nextLabelOrder() -> Int {
        labelOrder += 1
        return labelOrder
    }

    private func alignment(_ s: TextSymbolizer) -> PangoTextAlignment {
        switch s.justify {
        case .left: return .left
        case .center: return .center
        case .right: return .right
        case .auto:
            switch s.anchor {
            case .left, .topLeft, .bottomLeft: return .left
            case .right, .topRight, .bottomRight: return .right
            case .center, .top, .bottom: return .center
            }
        }
    }

    func font(_ names: [String], pixelSize: Double) -> PangoFont {
        let key = FontKey(names: names, pixelSize: pixelSize)
        if let cached = fonts[key] { return cached }
        let stack = FontStack(names: names)
        let font = PangoFont(families: stack.families, weight: stack.weight, style: stack.style, pixelSize: pixelSize)
        fonts[key] = font
        return font
    }

    func draw(_ label: LabelCandidate) {
        let s = label.style
        context.withSavedState {
            context.newPath()
            switch label.placement {
            case .point(let x, let y):
                label.layout.addPath(to: context, x: x, y: y)
            case .line(let path):
                label.layout.addPath(to: context, x: 0, y: 0)
                context.transformPath(path.map)
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
