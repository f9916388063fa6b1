import CairnAccess
import CairnCore
import CairnEngine

extension TileInvalidation {
    /// What a credential limited to an area or zoom levels may learn of this invalidation: its
    /// ranges and box cut to the credential's, nil when nothing is left. An unlimited principal
    /// (or none, on a public map) sees it whole. Edits outside a credential's area stay as hidden
    /// as the tiles there.
    func visible(to principal: Principal?) -> TileInvalidation? {
        guard let principal, principal.isScoped else { return self }
        let low = max(zooms.lowerBound, principal.minZoom ?? zooms.lowerBound)
        let high = min(zooms.upperBound, principal.maxZoom ?? zooms.upperBound)
        guard low <= high else { return nil }
        var visible = self
        visible.zooms = low...high
        visible.tiles = tiles.filter { visible.zooms.contains($0.z) }
        if let allowed = principal.bbox {
            let web = TileGrid.webMercator
            let clamped = BoundingBox(minX: allowed.minX, minY: max(allowed.minY, -WebMercator.maxLatitude),
                                      maxX: allowed.maxX, maxY: min(allowed.maxY, WebMercator.maxLatitude))
            let projected = WebMercator.project(clamped)
            visible.tiles = visible.tiles.compactMap { range in
                guard let window = web.tileRange(covering: projected, at: range.z) else { return nil }
                let cut = TileRange(z: range.z, minX: max(range.minX, window.minX), minY: max(range.minY, window.minY),
                                    maxX: min(range.maxX, window.maxX), maxY: min(range.maxY, window.maxY))
                return cut.minX <= cut.maxX && cut.minY <= cut.maxY ? cut : nil
            }
            if let box = bbox {
                let cut = BoundingBox(minX: max(box.minX, allowed.minX), minY: max(box.minY, allowed.minY),
                                      maxX: min(box.maxX, allowed.maxX), maxY: min(box.maxY, allowed.maxY))
                visible.bbox = cut.isEmpty ? nil : cut
            } else {
                visible.bbox = allowed
            }
        }
        return visible.tiles.isEmpty ? nil : visible
    }
}
