import Foundation

/// The Hải Phòng districts (`data/hp_districts.geojson`: 15 (Multi)Polygons in WGS84 with `ten` names)
/// written by `ogr2ogr` in every vector format Cairn reads through GDAL, each in a folder of its own
/// under a temporary directory, as departments deliver them, and the places as CSV with lon/lat columns.
/// Made at test time from the repository's data: no binary fixture is committed.
public struct OGRFixtures: Sendable {
    public static let ogr2ogr = "/usr/bin/ogr2ogr"

    /// A format the districts are written in, and what a style needs to read that copy.
    public enum Format: String, CaseIterable, Sendable, CustomStringConvertible {
        /// MapInfo TAB of VN-2000 / TM-3 105°45' coordinates (EPSG:9210) labelled with a TM-3 CRS on WGS84
        /// and no datum shift, as government files often are: about 200–300 m off without `"crs"`.
        case mapInfoTAB
        case mapInfoMIF
        /// MicroStation DGN v7 of EPSG:9210 coordinates; DGN v7 keeps no CRS.
        case dgn
        /// AutoCAD DXF: GDAL writes the polygons as HATCH entities, one per part, in layer `entities`;
        /// DXF keeps no attributes of ours and no CRS. The unaccented district name (`ten_khong_dau`) goes
        /// in as the CAD layer name (GDAL writes DXF text as Windows-1252, which has no room for `ten`).
        case dxf
        case fileGeodatabase
        case kml
        case kmz
        case gml
        /// FlatGeobuf without its spatial index: with one GDAL writes the features in Hilbert order, and
        /// label placement, which goes in data order, would then keep other labels than the twin's.
        case flatGeobuf
        /// CSV whose `WKT` column holds the geometry (`GEOMETRY=AS_WKT`); CSV keeps no CRS.
        case csvWKT

        public var description: String { rawValue }

        /// The file (or `.gdb` folder) inside the format's folder.
        var fileName: String {
            switch self {
            case .mapInfoTAB: "districts.tab"
            case .mapInfoMIF: "districts.mif"
            case .dgn: "districts.dgn"
            case .dxf: "districts.dxf"
            case .fileGeodatabase: "districts.gdb"
            case .kml: "districts.kml"
            case .kmz: "districts.kmz"
            case .gml: "districts.gml"
            case .flatGeobuf: "districts.fgb"
            case .csvWKT: "districts.csv"
            }
        }

        /// The one layer GDAL reads from the copy.
        public var layerName: String {
            switch self {
            case .dgn: "elements"
            case .dxf: "entities"
            default: "districts"
            }
        }

        /// The `"crs"` a style source must give: the copy declares none (DGN, DXF, CSV) or a wrong one (TAB).
        public var styleCRS: String? {
            switch self {
            case .mapInfoTAB, .dgn: "EPSG:9210"
            case .dxf, .csvWKT: "EPSG:4326"
            default: nil
            }
        }

        /// Whether each district stays one feature with its `ten` name, so labels can be compared.
        /// DGN and DXF split multipolygons into one element per part and keep no attributes of ours.
        public var keepsDistrictNames: Bool { self != .dgn && self != .dxf }

        /// The coordinates are EPSG:9210 (VN-2000 / TM-3 105°45'), not degrees.
        var isInVN2000: Bool { self == .mapInfoTAB || self == .dgn }

        /// `ogr2ogr` arguments after the output path and the input.
        var options: [String] {
            switch self {
            case .mapInfoTAB:
                // A TM-3 105°45' on the WGS84 ellipsoid without TOWGS84: the VN-2000 datum shift is lost.
                ["-f", "MapInfo File", "-a_srs", OGRFixtures.tm3WithoutDatumShift]
            case .mapInfoMIF: ["-f", "MapInfo File"]
            case .dgn: ["-f", "DGN"]
            case .dxf: ["-f", "DXF", "-dialect", "sqlite", "-sql", "SELECT ten_khong_dau AS Layer, geometry FROM hp_districts"]
            case .fileGeodatabase: ["-f", "OpenFileGDB", "-nln", "districts", "-nlt", "MULTIPOLYGON"]
            case .kml: ["-f", "KML", "-nln", "districts"]
            case .kmz: ["-f", "LIBKML", "-nln", "districts"]
            case .gml: ["-f", "GML", "-nln", "districts"]
            case .flatGeobuf: ["-f", "FlatGeobuf", "-nln", "districts", "-lco", "SPATIAL_INDEX=NO"]
            case .csvWKT: ["-f", "CSV", "-nln", "districts", "-lco", "GEOMETRY=AS_WKT"]
            }
        }
    }

    /// EPSG:9210's projection with the WGS84 ellipsoid and no datum shift: how a MapInfo file of
    /// VN-2000 data often labels itself.
    public static let tm3WithoutDatumShift = "+proj=tmerc +lat_0=0 +lon_0=105.75 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 +units=m +no_defs"

    /// The temporary folder holding every copy.
    public let folder: String

    /// The GeoJSON twin every copy is compared with: `data/hp_districts.geojson` copied beside them.
    public var districtsGeoJSON: String { folder + "/geojson/hp_districts.geojson" }
    /// The GeoNames places as CSV with `ten`, `dan_so`, `lon` and `lat` columns (no CRS).
    public var placesCSV: String { folder + "/csv-xy/places.csv" }
    /// The same places as GeoJSON (WGS84, `ten` and `dan_so`).
    public var placesGeoJSON: String { folder + "/geojson/places.geojson" }

    /// The copy of the districts in `format`.
    public func path(_ format: Format) -> String { folder + "/" + format.rawValue + "/" + format.fileName }

    /// Why the fixtures cannot be made on this machine (no `ogr2ogr`), or nil.
    public static var unavailableReason: String? {
        FileManager.default.isExecutableFile(atPath: ogr2ogr) ? nil
            : "ogr2ogr is not installed (\(ogr2ogr)); scripts/install-deps installs gdal-bin"
    }

    /// One set of copies per test process, shared by the suites that only read them.
    public static let shared: Result<OGRFixtures, any Error> = Result { try make() }

    /// Writes every copy into a new temporary folder (a second or two of `ogr2ogr` runs).
    public static func make() throws -> OGRFixtures {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-ogr-\(UUID().uuidString)").path
        let fixtures = OGRFixtures(folder: folder)
        try fixtures.write()
        return fixtures
    }

    /// Removes the folder.
    public func remove() { try? FileManager.default.removeItem(atPath: folder) }

    private func write() throws {
        let manager = FileManager.default
        let data = TestTier.repositoryRoot.appendingPathComponent("data")
        let districts = data.appendingPathComponent("hp_districts.geojson").path
        let demo = data.appendingPathComponent("hai_phong_demo.gpkg").path
        for name in ["geojson", "work", "csv-xy"] + Format.allCases.map(\.rawValue) {
            try manager.createDirectory(atPath: folder + "/" + name, withIntermediateDirectories: true)
        }
        try manager.copyItem(atPath: districts, toPath: districtsGeoJSON)
        // The VN-2000 copies start from the districts reprojected with EPSG:9210's datum shift.
        let vn2000 = folder + "/work/districts_9210.geojson"
        try ogr2ogr(["-f", "GeoJSON", vn2000, districts, "-s_srs", "EPSG:4326", "-t_srs", "EPSG:9210"])
        for format in Format.allCases {
            try ogr2ogr([path(format), format.isInVN2000 ? vn2000 : districts] + format.options)
        }
        let places = "SELECT ten, dan_so, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM hp_places_geonames"
        try ogr2ogr(["-f", "CSV", placesCSV, demo, "-dialect", "sqlite", "-sql", places, "-nln", "places"])
        try ogr2ogr(["-f", "GeoJSON", placesGeoJSON, demo, "hp_places_geonames", "-select", "ten,dan_so", "-nln", "places"])
    }

    private func ogr2ogr(_ arguments: [String]) throws {
        try ExternalProgram.run(Self.ogr2ogr, arguments)
    }
}
