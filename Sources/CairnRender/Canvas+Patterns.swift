internal import CairnCore
internal import CairnCairo
import Foundation

extension Canvas {
    /// Fills polygons with a sprite image repeated at its CSS size (`fill-pattern`). The repeat is aligned
    /// on the world's pixel grid, so the pattern runs on unbroken across tiles and metatiles. A missing
    /// image draws nothing, as in MapLibre.
    func fillPattern(_ polygons: [[[Point]]], _ name: String, _ s: FillSymbolizer) {
        guard s.opacity > 0, let found = sprites.image(name, scale: scale), let surface = iconSurface(found.sheet, found.image) else { return }
        let k = scale / found.image.pixelRatio
        let repeatWidth = Double(found.image.width) * k, repeatHeight = Double(found.image.height) * k
        let x0 = -(originX * pixelsPerUnit).truncatingRemainder(dividingBy: repeatWidth)
        let y0 = (originY * pixelsPerUnit).truncatingRemainder(dividingBy: repeatHeight)
        let visible = worldBounds(margin: 2 * scale)
        context.withSavedState {
            context.setFillRule(.evenOdd)
            context.setAntialias(s.antialias)
            context.newPath()
            var any = false
            for polygon in polygons {
                guard let exterior = polygon.first, exterior.count >= 3 else { continue }
                let box = Self.bounds(of: exterior)
                guard box.intersects(visible) else { continue }
                let clip = exceedsSafeRange(box)
                for (index, ring) in polygon.enumerated() where ring.count >= 3 {
                    if index > 0 && !Self.bounds(of: ring).intersects(visible) { continue }
                    if clip { appendClippedRing(ring, margin: 16) } else { appendPath(ring, closed: true) }
                }
                any = true
            }
            guard any else { return }
            context.clip()
            context.setRepeatingSource(surface, scale: k, x: x0, y: y0)
            context.paint(alpha: min(1, s.opacity))
        }
    }

    /// Strokes lines with a sprite image scaled to the line's width and repeated along it (`line-pattern`),
    /// segment by segment.
    func strokePattern(_ lines: [[Point]], _ name: String, _ s: LineSymbolizer) {
        let width = s.width * scale
        guard s.opacity > 0, width > 0, width.isFinite, let found = sprites.image(name, scale: scale),
              let surface = iconSurface(found.sheet, found.image) else { return }
        let k = width / Double(found.image.height)
        let repeatLength = Double(found.image.width) * k
        let visible = worldBounds(margin: width + 1)
        for line in lines where line.count >= 2 && Self.bounds(of: line).intersects(visible) {
            let polyline = PixelPolyline(line, transform: transform, minimumSegment: Self.minimumSegment)
            guard polyline.count >= 2 else { continue }
            var distance = 0.0
            for i in 1..<polyline.count {
                let ax = polyline.xs[i - 1], ay = polyline.ys[i - 1], bx = polyline.xs[i], by = polyline.ys[i]
                let length = hypot(bx - ax, by - ay)
                guard length > 0 else { continue }
                context.withSavedState {
                    context.translate(ax, ay)
                    context.rotate(atan2(by - ay, bx - ax))
                    context.newPath()
                    // A hair longer than the segment, so joins show no seam.
                    context.rectangle(x: 0, y: -width / 2, width: length + (i < polyline.count - 1 ? 0.5 : 0), height: width)
                    context.clip()
                    context.setRepeatingSource(surface, scale: k, x: -distance.truncatingRemainder(dividingBy: repeatLength), y: -width / 2)
                    context.paint(alpha: min(1, s.opacity))
                }
                distance += length
            }
        }
    }
}
