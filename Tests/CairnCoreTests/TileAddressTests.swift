import CairnCore
import Testing

struct TileAddressTests {
    @Test(arguments: [
        ("0", "0", "0.png", TileCoordinate(z: 0, x: 0, y: 0), 1),
        ("14", "13047", "7221.png", TileCoordinate(z: 14, x: 13047, y: 7221), 1),
        ("14", "13047", "7221@2x.png", TileCoordinate(z: 14, x: 13047, y: 7221), 2),
    ])
    func parsesCanonicalAddresses(z: String, x: String, file: String, tile: TileCoordinate, scale: Int) throws {
        let address = try #require(TileAddress(z: z, x: x, file: file))
        #expect(address.tile == tile)
        #expect(address.scale == scale)
    }

    @Test(arguments: [
        ("-1", "0", "0.png"), ("+1", "0", "0.png"), ("1e3", "0", "0.png"), ("007", "0", "0.png"),
        ("0x10", "0", "0.png"), ("١٢", "0", "0.png"), ("3.0", "0", "0.png"), ("", "0", "0.png"),
        ("1", "0", "0.PNG"), ("1", "0", "0.png.png"), ("1", "0", "0@3x.png"), ("1", "0", "0@100x.png"),
        ("1", "0", "0@2X.png"), ("1", "99999999999999999999", "0.png"), ("1", "0", "0.jpg"), ("1", "0", ".png"),
        ("100", "0", "0.png"), ("1", " 1", "0.png"), ("1", "0", "0@2x@2x.png"),
    ])
    func rejectsMalformedAddresses(z: String, x: String, file: String) {
        #expect(TileAddress(z: z, x: x, file: file) == nil)
    }
}
