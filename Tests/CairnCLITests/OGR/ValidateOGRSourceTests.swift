import CairnTestSupport
import Foundation
import Testing

/// `cairn validate` on sources GDAL reads: a line per layer, and a warning when a projected CRS with
/// no datum shift holds what look like VN-2000 coordinates (the MapInfo table saved on WGS84).
@Suite(.interop, .serialized)
struct ValidateOGRSourceTests {
    /// TM-3 105°45' (the projection of EPSG:9210) on WGS84 instead of VN-2000: the classic wrong datum.
    static let tm3OnWGS84 = "+proj=tmerc +lat_0=0 +lon_0=105.75 +k=0.9999 +x_0=500000 +y_0=0 +datum=WGS84 +units=m +no_defs"

    /// The synthetic land-use parcels (VN-2000 TM-3 coordinates) as `folder/land.tab`, labelled TM-3 on WGS84.
    static func landUseWithWrongDatum(in folder: String) throws {
        try OGRTestData.ogr2ogr(["-f", "MapInfo File", folder + "/land.tab", OGRTestData.landUseVN2000,
                                 "-select", "MaLoaiDat,TenLoaiDat", "-a_srs", tm3OnWGS84, "-nln", "land"])
    }

    @Test func aTableOfVN2000CoordinatesOnAWGS84DatumIsWarnedAbout() throws {
        let folder = try CairnProcess.temporaryFolder()
        try Self.landUseWithWrongDatum(in: folder)
        try OGRTestData.fillStyle(in: folder, source: OGRTestData.fileSource("land.tab"), sourceLayer: "land")
        let run = try CairnProcess.cairn(["validate", "--style", "style.json"], in: folder)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.lines.contains { $0.hasPrefix("ok: land.tab: layer land (GDAL MapInfo File): 812 features, extent 567624, 2278626 – 644955, 2325528, CRS \"") }, "\(run.output)")
        let warning = try #require(run.lines.first { $0.hasPrefix("warning: land.tab: layer land: ") }, "\(run.output)")
        #expect(warning.contains("is projected on datum WGS_1984 with no shift to WGS84"), "\(warning)")
        #expect(warning.contains("set \"crs\": \"EPSG:9210\""), "\(warning)")
        #expect(warning.contains("on source \"d\" in style.json"), "\(warning)")
    }

    @Test func theCRSOverrideSilencesTheWarning() throws {
        let folder = try CairnProcess.temporaryFolder()
        try Self.landUseWithWrongDatum(in: folder)
        try OGRTestData.fillStyle(in: folder, source: OGRTestData.fileSource("land.tab", extra: #", "crs": "EPSG:9210""#), sourceLayer: "land")
        let run = try CairnProcess.cairn(["validate", "--style", "style.json"], in: folder)
        #expect(run.status == 0, "\(run.output)")
        #expect(!run.output.contains("warning:"), "\(run.output)")
        #expect(run.output.contains("CRS EPSG:9210 (set on the source; the data says \"unnamed\")"), "\(run.output)")
    }

    /// The same parcels with their real VN-2000 CRS (read through GDAL from the shapefile): no warning.
    @Test func aRealVN2000CRSIsNotWarnedAbout() throws {
        let folder = try CairnProcess.temporaryFolder()
        try OGRTestData.fillStyle(in: folder, source: OGRTestData.fileSource(OGRTestData.landUseVN2000, extra: #", "format": "ogr""#),
                                  sourceLayer: "syn_land_use_vn2000_tm3")
        let run = try CairnProcess.cairn(["validate", "--style", "style.json"], in: folder)
        #expect(run.status == 0, "\(run.output)")
        #expect(!run.output.contains("warning:"), "\(run.output)")
        #expect(run.output.contains("(EPSG:9210)"), "\(run.output)")
    }

    @Test func aDGNWithoutCRSOrOverrideIsAnErrorNamingTheFile() throws {
        let folder = try CairnProcess.temporaryFolder()
        try OGRTestData.ogr2ogr(["-f", "DGN", folder + "/parcels.dgn", OGRTestData.districts])
        try OGRTestData.fillStyle(in: folder, source: OGRTestData.fileSource("parcels.dgn"), sourceLayer: "elements")
        let run = try CairnProcess.cairn(["validate", "--style", "style.json"], in: folder)
        #expect(run.status == 1)
        #expect(run.output.contains("parcels.dgn: layer elements declares no CRS; add \"crs\": \"EPSG:…\" to source \"d\" in "), "\(run.output)")
    }
}
