import CairnTestSupport
import Foundation

/// Files GDAL reads, made at test time with `ogr2ogr` from the repository's own data, and styles
/// drawing them. (The interop tier has GDAL's tools; the data is the districts of Hải Phòng.)
enum OGRTestData {
    static let districts = CairnProcess.repositoryRoot.appendingPathComponent("data/hp_districts.geojson").path
    static let landUseVN2000 = CairnProcess.repositoryRoot.appendingPathComponent("data/syn_land_use_vn2000_tm3.shp").path

    /// Runs `ogr2ogr` with `arguments`; throws with its output when it fails.
    static func ogr2ogr(_ arguments: [String]) throws {
        _ = try ExternalProgram.run(OGRFixtures.ogr2ogr, arguments)
    }

    /// The districts as a MapInfo table `folder/districts.tab` (WGS84), with its .dat, .map and .id.
    @discardableResult
    static func districtsTAB(in folder: String, name: String = "districts") throws -> String {
        let path = folder + "/\(name).tab"
        try ogr2ogr(["-f", "MapInfo File", path, districts, "-nln", "districts"])
        return path
    }

    /// A style drawing `url`'s layer `districts` as a red fill, written to `folder/style.json`.
    @discardableResult
    static func fillStyle(in folder: String, source: String, sourceLayer: String? = "districts") throws -> String {
        let layer = sourceLayer.map { #", "source-layer": "\#($0)""# } ?? ""
        let style = """
        {"version": 8, "sources": {"d": \(source)},
         "layers": [{"id": "bg", "type": "background", "paint": {"background-color": "#ffffff"}},
                    {"id": "fill", "type": "fill", "source": "d"\(layer), "paint": {"fill-color": "#ff0000"}}]}
        """
        let path = folder + "/style.json"
        try style.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A source object for a local file.
    static func fileSource(_ url: String, extra: String = "") -> String {
        #"{"type": "vector", "url": "\#(url)"\#(extra)}"#
    }

    /// Cuts a file to half its size, as an interrupted copy leaves it.
    static func truncateToHalf(_ path: String) throws {
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(size / 2))
        try handle.close()
    }
}
