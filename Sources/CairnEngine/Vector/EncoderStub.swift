// TEMPORARY: stands in for CairnVectorTile's encoder until branch mvtcodec is merged.
import CairnCore
import CairnVectorTile

struct VectorTileEncoder {
    init(bounds: BoundingBox, extent: Int = 4096, buffer: Int = 64, tolerance: Double = 1.0) {}
    mutating func addLayer(named name: String, features: some Sequence<Feature>, attributes: Set<String>? = nil) {}
    var tile: VectorTile { VectorTile() }
    func encode() -> [UInt8] { [] }
}

