public import CairnCore
internal import CairnCairo
import Foundation

extension Canvas {
    /// Adds a symbol with an icon (and, when `text` is given, its text) for each anchor of `geometry`.
    /// An icon id the sprites lack leaves the text alone, as in MapLibre.
    ///
    /// Point placement anchors at each point, the middle of each line, an interior point of each polygon;
    /// line placement every `spacing` CSS px along each line from its middle, the text then drawn level at
    /// the anchor (as shields are) and the icon turned with the line when `alignsWithLine`.
    public func addSymbol(for geometry: Geometry, text: TextSymbolizer?, icon: IconSymbolizer, placement: TextPlacement,
                          spacing: Double, priority: Int = 0) {
        guard icon.size > 0, icon.size.isFinite, let found = sprites.image(icon.image, scale: scale),
              let surface = iconSurface(found.sheet, found.image, tint: found.image.sdf ? SDFTint(icon) : nil) else {
            if let text { addLabel(for: geometry, text, priority: priority) }
            return
        }
        let width = found.image.cssWidth * icon.size * scale, height = found.image.cssHeight * icon.size * scale
        let reach = 2 * (width + height) + (text.map { $0.size * scale * 12 } ?? 0)
        let region = labelRegion
        var levelText = text
        levelText?.placement = .point
        levelText?.variableAnchors = []
        for anchor in symbolAnchors(geometry, placement: placement, spacing: spacing * scale) {
            guard anchor.x > region.x - reach, anchor.y > region.y - reach,
                  anchor.x < region.maxX + reach, anchor.y < region.maxY + reach else { continue }
            var textOption: LabelOption?
            if let levelText {
                let before = labels.count
                addLabel(for: .points([transform.world(x: anchor.x, y: anchor.y)]), levelText, priority: priority)
                guard labels.count > before else { continue }
                textOption = labels.removeLast().options.first
            }
            var textBox: PixelRect?
            if let textOption, case .point(let x, let y) = textOption.placement {
                let logical = textOption.layout.logicalRect
                textBox = PixelRect(x: x + logical.x, y: y + logical.y, width: logical.width, height: logical.height)
            }
            let rect = iconRect(icon, width: width, height: height, anchorX: anchor.x, anchorY: anchor.y, textBox: textBox)
            let angle = icon.rotate * .pi / 180 + (icon.alignsWithLine ? anchor.angle : 0)
            let extent = Self.rotatedBounds(rect, pivotX: anchor.x, pivotY: anchor.y, angle: angle)
            let placed = PlacedIcon(surface: surface, rect: rect, pivotX: anchor.x, pivotY: anchor.y, angle: angle,
                                    box: extent.expanded(by: max(0, icon.padding) * scale), style: icon, hasText: textBox != nil)
            // Icon and text are one symbol, drawn whole wherever either reaches the label frame, so
            // both sides of a metatile edge decide alike (as for labels alone).
            let symbolExtent = textOption.map { $0.extent.union(extent) } ?? extent
            guard region.intersects(symbolExtent) else { continue }
            let drawable = labelFrame.intersects(symbolExtent)
            let option = textOption.map {
                LabelOption(layout: $0.layout, placement: $0.placement, boxes: $0.boxes, extent: $0.extent, drawable: drawable)
            } ?? LabelOption(layout: emptyTextLayout, placement: .point(x: anchor.x, y: anchor.y), boxes: [], extent: extent, drawable: drawable)
            labelOrder += 1
            labels.append(LabelCandidate(style: levelText ?? TextSymbolizer(text: ""), options: [option], priority: priority,
                                         order: labelOrder, icon: placed))
        }
    }

    /// Places a symbol with an icon: the icon and text must both fit unless one of them is optional
    /// (MapLibre's `icon-optional` / `text-optional`). Returns what is to be drawn, nil when nothing is.
    func place(_ label: LabelCandidate, with icon: PlacedIcon, in index: inout CollisionIndex) -> PlacedSymbol? {
        var placeIcon = icon.style.allowOverlap || !index.collides(icon.box)
        let option = label.options[0]
        var placeText = icon.hasText && (label.style.allowOverlap || !option.boxes.contains(where: { index.collides($0) }))
        if icon.hasText {
            let iconAlone = icon.style.textOptional, textAlone = icon.style.optional
            if !iconAlone && !textAlone {
                placeIcon = placeIcon && placeText
                placeText = placeIcon
            } else if !textAlone {
                placeText = placeText && placeIcon
            } else if !iconAlone {
                placeIcon = placeIcon && placeText
            }
        }
        guard placeIcon || placeText else { return nil }
        if placeIcon && !icon.style.ignorePlacement { index.insert(icon.box) }
        if placeText { for box in option.boxes { index.insert(box) } }
        guard option.drawable else { return nil }
        return PlacedSymbol(style: label.style, option: option, icon: placeIcon ? icon : nil, drawsText: placeText)
    }

    // MARK: Layout

    struct SymbolAnchor {
        let x: Double
        let y: Double
        /// Direction of the line at the anchor, clockwise radians from +x (0 for point placement).
        let angle: Double
    }

    func symbolAnchors(_ geometry: Geometry, placement: TextPlacement, spacing: Double) -> [SymbolAnchor] {
        func pixel(_ p: Point) -> SymbolAnchor { SymbolAnchor(x: transform.pixelX(p.x), y: transform.pixelY(p.y), angle: 0) }
        let lines: [[Point]]
        switch geometry {
        case .points(let points): return points.map(pixel)
        case .lines(let l): lines = l
        case .polygons(let polygons):
            guard placement != .point else {
                // One symbol per feature, on its largest part (as for labels).
                guard let largest = polygons.max(by: { Self.area(of: $0) < Self.area(of: $1) }),
                      let point = InteriorPoint.of(largest, tolerance: 2 * scale / pixelsPerUnit) else { return [] }
                return [pixel(point)]
            }
            lines = polygons.flatMap { $0 }
        }
        var anchors: [SymbolAnchor] = []
        let visible = worldBounds(of: labelRegion.expanded(by: 64 * scale))
        for line in lines where line.count >= 2 && Self.bounds(of: line).intersects(visible) {
            let polyline = PixelPolyline(line, transform: transform, minimumSegment: 0)
            guard polyline.count >= 2 else { continue }
            let length = polyline.length
            var distances = [length / 2]
            if placement == .line && spacing > 0 {
                var step = spacing
                while step <= length / 2 {
                    distances.append(length / 2 + step)
                    distances.append(length / 2 - step)
                    step += spacing
                }
            }
            for d in distances {
                let p = polyline.position(at: d)
                anchors.append(SymbolAnchor(x: p.x, y: p.y, angle: atan2(p.ty, p.tx)))
            }
        }
        return anchors
    }

    /// The icon's rectangle before rotation: at its anchor, or stretched around the text (`icon-text-fit`).
    func iconRect(_ icon: IconSymbolizer, width: Double, height: Double, anchorX: Double, anchorY: Double, textBox: PixelRect?) -> PixelRect {
        let dx = icon.offset.x * icon.size * scale, dy = icon.offset.y * icon.size * scale
        var left: Double, top: Double
        switch icon.anchor {
        case .left, .topLeft, .bottomLeft: left = anchorX
        case .right, .topRight, .bottomRight: left = anchorX - width
        case .center, .top, .bottom: left = anchorX - width / 2
        }
        switch icon.anchor {
        case .top, .topLeft, .topRight: top = anchorY
        case .bottom, .bottomLeft, .bottomRight: top = anchorY - height
        case .center, .left, .right: top = anchorY - height / 2
        }
        var rect = PixelRect(x: left + dx, y: top + dy, width: width, height: height)
        guard icon.textFit != .none, let text = textBox else { return rect }
        let padding = icon.textFitPadding.count == 4 ? icon.textFitPadding.map { $0 * scale } : [0, 0, 0, 0]
        if icon.textFit == .width || icon.textFit == .both {
            rect.x = text.x - padding[3] + dx
            rect.width = text.width + padding[1] + padding[3]
        }
        if icon.textFit == .height || icon.textFit == .both {
            rect.y = text.y - padding[0] + dy
            rect.height = text.height + padding[0] + padding[2]
        }
        return rect
    }

    static func rotatedBounds(_ rect: PixelRect, pivotX: Double, pivotY: Double, angle: Double) -> PixelRect {
        guard angle != 0 else { return rect }
        let c = cos(angle), s = sin(angle)
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for (x, y) in [(rect.x, rect.y), (rect.maxX, rect.y), (rect.x, rect.maxY), (rect.maxX, rect.maxY)] {
            let u = x - pivotX, v = y - pivotY
            let px = pivotX + u * c - v * s, py = pivotY + u * s + v * c
            minX = min(minX, px); maxX = max(maxX, px)
            minY = min(minY, py); maxY = max(maxY, py)
        }
        return PixelRect(x: minX, y: minY, width: maxX - minX, height: maxY - minY)
    }

    // MARK: Drawing

    /// The Cairo surface of a sprite image, cut from its sheet once per canvas (and per tint, for
    /// signed-distance-field images).
    func iconSurface(_ sheet: SpriteSheet, _ image: SpriteImage, tint: SDFTint? = nil) -> CairoImageSurface? {
        let key = IconSurfaceKey(sheet: ObjectIdentifier(sheet), x: image.x, y: image.y, tint: tint)
        if let known = iconSurfaces[key] { return known }
        let argb = tint.map { $0.colour(sheet.argb, sourceWidth: sheet.width, x: image.x, y: image.y, width: image.width,
                                        height: image.height, pixelRatio: image.pixelRatio) }
        guard let surface = try? CairoImageSurface(argb: argb ?? sheet.argb, sourceWidth: argb == nil ? sheet.width : image.width,
                                                   x: argb == nil ? image.x : 0, y: argb == nil ? image.y : 0,
                                                   width: image.width, height: image.height) else { return nil }
        iconSurfaces[key] = surface
        return surface
    }

    func draw(_ icon: PlacedIcon) {
        guard icon.rect.width > 0, icon.rect.height > 0, icon.style.opacity > 0 else { return }
        context.withSavedState {
            context.translate(icon.pivotX, icon.pivotY)
            context.rotate(icon.angle)
            context.translate(icon.rect.x - icon.pivotX, icon.rect.y - icon.pivotY)
            context.scale(icon.rect.width / Double(icon.surface.width), icon.rect.height / Double(icon.surface.height))
            context.paint(icon.surface, x: 0, y: 0, opacity: min(1, icon.style.opacity))
        }
    }
}
