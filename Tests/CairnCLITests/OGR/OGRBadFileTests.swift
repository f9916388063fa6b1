import CairnTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Broken and unreadable files read through GDAL: `cairn validate` fails naming the file, the layer
/// and what GDAL said, instead of drawing nothing or part of the data without a word.
@Suite(.interop, .serialized)
struct OGRBadFileTests {
    /// Runs `cairn validate --style style.json` in `folder`.
    func validate(_ folder: String) throws -> CairnProcess.Run {
        try CairnProcess.cairn(["validate", "--style", "style.json"], in: folder)
    }

    @Test(arguments: [("map", "ReadFromFile() failed reading"), ("dat", "ReadBytes(): Attempt to read past end of data block")])
    func aTruncatedMapInfoTable(cut part: String, gdalSays: String) throws {
        let folder = try CairnProcess.temporaryFolder()
        try OGRTestData.districtsTAB(in: folder)
        try OGRTestData.fillStyle(in: folder, source: OGRTestData.fileSource("districts.tab"))
        #expect(try validate(folder).status == 0)
        try OGRTestData.truncateToHalf(folder + "/districts." + part)
        let run = try validate(folder)
        #expect(run.status == 1)
        #expect(run.output.contains("districts.tab: layer districts (GDAL MapInfo File): "), "\(run.output)")
        #expect(run.output.contains(gdalSays), "\(run.output)")
    }

    /// MicroStation V8 drawings are OLE2 compound files; GDAL's DGN driver reads V7 only.
    @Test func aDGNOfVersion8() throws {
        let folder = try CairnProcess.temporaryFolder()
        var bytes: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
        bytes += [UInt8](repeating: 0, count: 4088)
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/parcels.dgn"))
        try OGRTestData.fillStyle(in: folder, source: OGRTestData.fileSource("parcels.dgn", extra: #", "crs": "EPSG:9210""#), sourceLayer: "elements")
        let run = try validate(folder)
        #expect(run.status == 1)
        #expect(run.output.contains("parcels.dgn: GDAL cannot open it: it is a MicroStation V8 DGN"), "\(run.output)")
        #expect(run.output.contains("GDAL's DGN driver reads only V7"), "\(run.output)")
    }

    /// Entities GDAL does not read (3D solids, proxies) are skipped with a warning: drawings always
    /// hold some, and the polygons around them are the map. The rest renders.
    @Test func aDXFWithEntitiesGDALDoesNotRead() throws {
        let folder = try CairnProcess.temporaryFolder()
        let path = folder + "/plan.dxf"
        try OGRTestData.ogr2ogr(["-f", "DXF", path, OGRTestData.districts])
        var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        let entities = try #require(lines.firstIndex(of: "ENTITIES"))
        let unsupported = ["  0", "3DSOLID", "  5", "ABCD", "100", "AcDbEntity", "  8", "0", "100", "AcDbModelerGeometry", " 70", "1",
                           "  0", "ACAD_PROXY_ENTITY", "  5", "ABCE", "100", "AcDbEntity", "  8", "0", " 90", "498"]
        lines.insert(contentsOf: unsupported, at: entities + 1)
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try OGRTestData.fillStyle(in: folder, source: OGRTestData.fileSource("plan.dxf", extra: #", "crs": "EPSG:4326""#), sourceLayer: "entities")
        let run = try validate(folder)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("warning: ") && run.output.contains("plan.dxf: layer entities: GDAL skips entities it cannot read: "), "\(run.output)")
        #expect(run.output.contains("'3DSOLID'") && run.output.contains("'ACAD_PROXY_ENTITY'"), "\(run.output)")
        #expect(run.output.contains("ok: plan.dxf: layer entities (GDAL DXF): "), "\(run.output)")
    }

    @Test func aFileGeodatabaseWithATruncatedOrMissingTable() throws {
        let folder = try CairnProcess.temporaryFolder()
        let gdb = folder + "/districts.gdb"
        try OGRTestData.ogr2ogr(["-f", "OpenFileGDB", gdb, OGRTestData.districts, "-nln", "districts", "-nlt", "MULTIPOLYGON"])
        try OGRTestData.fillStyle(in: folder, source: OGRTestData.fileSource("districts.gdb"))
        #expect(try validate(folder).status == 0)
        // The districts are the largest table of the folder.
        let tables = try FileManager.default.contentsOfDirectory(atPath: gdb).filter { $0.hasSuffix(".gdbtable") }
        let sizes = try tables.map { ($0, try FileManager.default.attributesOfItem(atPath: gdb + "/" + $0)[.size] as? Int ?? 0) }
        let districts = try #require(sizes.max { $0.1 < $1.1 }?.0)
        let original = try Data(contentsOf: URL(fileURLWithPath: gdb + "/" + districts))

        try OGRTestData.truncateToHalf(gdb + "/" + districts)
        let truncated = try validate(folder)
        #expect(truncated.status == 1)
        #expect(truncated.output.contains("districts.gdb: layer districts (GDAL OpenFileGDB): "), "\(truncated.output)")
        #expect(truncated.output.contains("filegdbtable.cpp"), "GDAL's own words: \(truncated.output)")

        try FileManager.default.removeItem(atPath: gdb + "/" + districts)
        let missing = try validate(folder)
        #expect(missing.status == 1)
        #expect(missing.output.contains("districts.gdb: no layer \"districts\"; GDAL (OpenFileGDB) finds no layer in it"), "\(missing.output)")

        try original.write(to: URL(fileURLWithPath: gdb + "/" + districts))
        #expect(try validate(folder).status == 0)
    }

    /// Permissions stop everyone but root (the tests may run as root in CI containers).
    @Test(.enabled(if: getuid() != 0, "root reads a folder whatever its permissions"))
    func aFileGeodatabaseFolderNobodyMayRead() throws {
        let folder = try CairnProcess.temporaryFolder()
        let gdb = folder + "/districts.gdb"
        try OGRTestData.ogr2ogr(["-f", "OpenFileGDB", gdb, OGRTestData.districts, "-nln", "districts", "-nlt", "MULTIPOLYGON"])
        try OGRTestData.fillStyle(in: folder, source: OGRTestData.fileSource("districts.gdb"))
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: gdb)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: gdb) }
        let run = try validate(folder)
        #expect(run.status == 1)
        #expect(run.output.contains("districts.gdb: "), "\(run.output)")
        #expect(run.output.contains("not readable"), "\(run.output)")
    }

    @Test func aCSVWithoutGeometry() throws {
        let folder = try CairnProcess.temporaryFolder()
        try "ten,lon,lat\nHồng Bàng,106.66,20.86\nLê Chân,106.68,20.85\n".write(toFile: folder + "/places.csv", atomically: true, encoding: .utf8)
        try OGRTestData.fillStyle(in: folder, source: OGRTestData.fileSource("places.csv", extra: #", "crs": "EPSG:4326""#), sourceLayer: "places")
        let run = try validate(folder)
        #expect(run.status == 1)
        #expect(run.output.contains("places.csv: layer places has no geometry column (GDAL CSV found none); name the coordinate columns with \"open_options\""), "\(run.output)")
        // Named, the same file loads.
        let options = #", "crs": "EPSG:4326", "open_options": {"X_POSSIBLE_NAMES": "lon", "Y_POSSIBLE_NAMES": "lat"}"#
        try OGRTestData.fillStyle(in: folder, source: OGRTestData.fileSource("places.csv", extra: options), sourceLayer: "places")
        let named = try validate(folder)
        #expect(named.status == 0, "\(named.output)")
        #expect(named.output.contains("ok: places.csv: layer places (GDAL CSV): 2 features"), "\(named.output)")
    }
}
