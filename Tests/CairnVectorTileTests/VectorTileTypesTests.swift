import CairnCore
import CairnVectorTile
import Testing

struct VectorTileTypesTests {
    @Test func findsLayersByName() {
        let tile = VectorTile(layers: [VectorTileLayer(name: "water"), VectorTileLayer(name: "roads")])
        #expect(tile.layer(named: "roads")?.name == "roads")
        #expect(tile.layer(named: "none") == nil)
    }
}
