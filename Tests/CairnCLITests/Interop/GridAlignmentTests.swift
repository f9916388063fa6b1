import Foundation
import Testing
import CairnTestSupport

/// The same map in two grids lines up: district boundaries fetched through GDAL's WMTS driver in
/// the VN-2000 grid and in Web Mercator, both warped by GDAL onto one EPSG:9210 raster, lie
/// within a pixel of each other.
@Suite(.interop)
struct GridAlignmentTests {
    typealias Server = InteropServer

    @Test(arguments: [10.0, 5.0])
    func vn2000AndWebMercatorAgreeWithinAPixel(resolution: Double) async throws {
        let server = try await Server.start(style: "district-lines.json")
        defer { server.stop() }
        // 8 km of central Hải Phòng (Hồng Bàng, Lê Chân, Ngô Quyền, An Dương).
        let (west, south, east, north) = (590_000.0, 2_300_000.0, 598_000.0, 2_308_000.0)
        let size = Int((east - west) / resolution)
        var rasters: [String] = []
        for matrixSet in ["VN2000HaiPhong", "WebMercatorQuad"] {
            let raster = server.folder + "/\(matrixSet).raw"
            try server.tool("/usr/bin/gdalwarp", ["-q", "-overwrite", "-t_srs", "EPSG:9210", "-te", "\(west)", "\(south)", "\(east)", "\(north)",
                                                  "-tr", "\(resolution)", "\(resolution)", "-r", "bilinear", "-of", "ENVI",
                                                  server.gdalWMTS(matrixSet), raster])
            rasters.append(raster)
        }
        let shift = try server.json(Server.python, [Server.fixtures.appendingPathComponent("pixels.py").path, "shift",
                                                    rasters[0], rasters[1], "\(size)", "\(size)"])
        let dx = try #require(shift["dx"] as? Double), dy = try #require(shift["dy"] as? Double)
        // The estimator finds a known shift, and there are boundaries to align.
        let checkDx = shift["checkDx"] as? Double ?? .nan, checkDy = shift["checkDy"] as? Double ?? .nan
        #expect(abs(checkDx - 3) < 1e-6 && abs(checkDy + 2) < 1e-6, "\(shift)")
        #expect((shift["darkA"] as? Double ?? 0) > 0.002 && (shift["darkB"] as? Double ?? 0) > 0.002, "\(shift)")
        #expect(abs(dx) < 1 && abs(dy) < 1, "VN-2000 against Web Mercator at \(resolution) m per pixel: \(shift)")
    }
}
