import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnSources

/// The districts and places written by `ogr2ogr` in each checked format, read back by `OGRReader`:
/// the layer each format makes, the single-layer default, attributes, CRS as the data declares it,
/// and CSV geometry from a WKT column or from lon/lat columns named by open options.
@Suite(.interop)
struct OGRReaderFormatTests {
    static func fixtures() throws -> OGRFixtures { try OGRFixtures.shared.get() }

    static func text(_ value: PropertyValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    static let districtNames: [String] = {
        let reader = try? GeoJSONReader(path: RepositoryData.data("hp_districts.geojson"))
        let data = try? reader?.read(LayerQuery(attributes: ["ten"]))
        return (data?.features ?? []).compactMap { text($0.properties["ten"]) }.sorted()
    }()

    @Test(arguments: OGRFixtures.Format.allCases)
    func theOnlyLayerIsReadWithoutNamingIt(format: OGRFixtures.Format) throws {
        let reader = try OGRReader(path: try Self.fixtures().path(format))
        #expect(try reader.layerNames() == [format.layerName])
        let data = try reader.read(LayerQuery())
        #expect(data.name == format.layerName)
        #expect(data.features.allSatisfy { if case .polygons = $0.geometry { true } else { false } })
        if format.keepsDistrictNames {
            #expect(data.features.count == 15)
            #expect(data.features.compactMap { Self.text($0.properties["ten"]) }.sorted() == Self.districtNames)
        } else {
            // DGN and DXF keep each part of Cát Hải's and Đồ Sơn's multipolygons as an element of its own.
            #expect(data.features.count == 111)
        }
        let named = try reader.read(LayerQuery(layer: format.layerName, attributes: []))
        #expect(named.features.count == data.features.count && named.features.allSatisfy(\.properties.isEmpty))
    }

    @Test(arguments: OGRFixtures.Format.allCases)
    func anUnknownLayerIsAnErrorListingTheLayers(format: OGRFixtures.Format) throws {
        let path = try Self.fixtures().path(format)
        #expect { try OGRReader(path: path).read(LayerQuery(layer: "roads")) } throws: { error in
            guard let error = error as? SourceError else { return false }
            return error.code == .unknownLayer && "\(error)".contains(path) && "\(error)".contains("no layer \"roads\"")
                && "\(error)".contains("\"\(format.layerName)\"")
        }
    }

    @Test(arguments: [OGRFixtures.Format.flatGeobuf, .fileGeodatabase, .gml, .kml, .kmz, .mapInfoMIF])
    func wgs84DataSaysSo(format: OGRFixtures.Format) throws {
        let data = try OGRReader(path: try Self.fixtures().path(format)).read(LayerQuery(attributes: []))
        switch data.crs {
        case .epsg(let code)?:
            #expect(code == 4326)
        case .text(let wkt)?:
            // MapInfo names its WGS84 "unnamed"; it is still the WGS84 datum.
            #expect(wkt.contains("WGS") && wkt.contains("84") && wkt.hasPrefix("GEOGCRS"), "\(wkt.prefix(200))")
        case nil:
            Issue.record("\(format) declares no CRS")
        }
    }

    @Test func theMapInfoTableGivesItsOwnWKTWithoutADatumShift() throws {
        let reader = try OGRReader(path: try Self.fixtures().path(.mapInfoTAB))
        let data = try reader.read(LayerQuery(attributes: ["ten"]))
        guard case .text(let wkt)? = data.crs else { Issue.record("CRS \(String(describing: data.crs))"); return }
        #expect(wkt.hasPrefix("PROJCRS") && wkt.contains("105.75") && !wkt.contains("TOWGS84") && !wkt.contains("BOUNDCRS"))
        let srs = try #require(try reader.describe().first?.spatialReference)
        #expect(srs.isProjected && !srs.hasTOWGS84 && srs.authorityCode == nil)
        // EPSG:9210 metres, not degrees.
        var box = BoundingBox.empty
        for feature in data.features { box.extend(with: feature.geometry.boundingBox) }
        #expect(box.minX > 560_000 && box.maxX < 710_000 && box.minY > 2_220_000 && box.maxY < 2_330_000, "\(box)")
    }

    @Test(arguments: [OGRFixtures.Format.dgn, .dxf, .csvWKT])
    func formatsWithoutACRSDeclareNone(format: OGRFixtures.Format) throws {
        let data = try OGRReader(path: try Self.fixtures().path(format)).read(LayerQuery(attributes: []))
        #expect(data.crs == nil)
    }

    @Test func theDXFKeepsTheDistrictNameAsTheCADLayer() throws {
        let data = try OGRReader(path: try Self.fixtures().path(.dxf)).read(LayerQuery(attributes: ["Layer"]))
        let names = Set(data.features.compactMap { Self.text($0.properties["Layer"]) })
        #expect(names.count == 15 && names.contains("Cat Hai") && names.contains("Ngo Quyen"), "\(names.sorted())")
    }

    @Test func aCSVWithAWKTColumnNeedsNoOption() throws {
        let data = try OGRReader(path: try Self.fixtures().path(.csvWKT)).read(LayerQuery(attributes: ["ten", "WKT"]))
        #expect(data.features.count == 15)
        // The geometry column stays an attribute too: GDAL keeps the WKT text unless asked otherwise.
        #expect(data.features.allSatisfy { Self.text($0.properties["ten"]) != nil })
        let twin = try GeoJSONReader(path: RepositoryData.data("hp_districts.geojson")).read(LayerQuery(attributes: []))
        for (a, e) in zip(data.features, twin.features) {
            #expect(a.geometry.pointCount == e.geometry.pointCount && a.geometry.boundingBox == e.geometry.boundingBox)
        }
    }

    @Test func aCSVOfLonLatColumnsGivesPointsWithTheOpenOptions() throws {
        let fixtures = try Self.fixtures()
        let reader = try OGRReader(path: fixtures.placesCSV, openOptions: ["X_POSSIBLE_NAMES": "lon", "Y_POSSIBLE_NAMES": "lat"])
        let data = try reader.read(LayerQuery(attributes: ["ten"]))
        let twin = try GeoJSONReader(path: fixtures.placesGeoJSON).read(LayerQuery(attributes: ["ten"]))
        #expect(data.name == "places" && data.features.count == 12 && twin.features.count == 12)
        for (a, e) in zip(data.features, twin.features) {
            #expect(a.geometry == e.geometry)
            #expect(Self.text(a.properties["ten"]) == Self.text(e.properties["ten"]))
        }
        // Without the options the columns are only numbers: no geometry, which is an error saying what to add.
        #expect { try OGRReader(path: fixtures.placesCSV).read(LayerQuery(attributes: [])) } throws: { error in
            "\(error)".contains("has no geometry column") && "\(error)".contains("X_POSSIBLE_NAMES")
        }
    }

    @Test func aKMZIsReadFromInsideItsArchive() throws {
        let path = try Self.fixtures().path(.kmz)
        let header = try #require(FileHandle(forReadingAtPath: path)?.readData(ofLength: 2))
        #expect(header == Data("PK".utf8), "a KMZ is a zip archive")
        let description = try #require(try OGRReader(path: path).describe().first)
        #expect(description.driver == "LIBKML" && description.fields.map(\.name).contains("ten"))
    }

    @Test func theFileGeodatabaseFolderIsOneDataset() throws {
        let path = try Self.fixtures().path(.fileGeodatabase)
        let description = try #require(try OGRReader(path: path).describe().first)
        #expect(description.driver == "OpenFileGDB" && description.spatialReference?.authorityCode == 4326)
        let extent = try #require(description.extent)
        #expect(abs(extent.minX - 106.400877) < 1e-5 && abs(extent.maxY - 21.021214) < 1e-5)
    }

    /// FlatGeobuf's spatial index (ogr2ogr's default) stores the features in Hilbert order and
    /// answers a box query from the index: the same districts, in another order.
    @Test func anIndexedFlatGeobufHoldsTheSameDistrictsAndAnswersABox() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-fgb-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/indexed.fgb"
        try ExternalProgram.run(OGRFixtures.ogr2ogr, ["-f", "FlatGeobuf", path, RepositoryData.data("hp_districts.geojson")])
        let reader = try OGRReader(path: path)
        let all = try reader.read(LayerQuery(attributes: ["ten"])).features.compactMap { Self.text($0.properties["ten"]) }
        #expect(all.sorted() == Self.districtNames && all != Self.districtNames.sorted())
        let box = BoundingBox(minX: 106.66, minY: 20.84, maxX: 106.70, maxY: 20.88)
        let inBox = try reader.read(LayerQuery(bbox: box, attributes: ["ten"])).features.compactMap { Self.text($0.properties["ten"]) }
        // GDAL filters a file without an index feature by feature; the index must give the same answer.
        let unindexed = try OGRReader(path: RepositoryData.data("hp_districts.geojson")).read(LayerQuery(bbox: box, attributes: ["ten"]))
        let expected = unindexed.features.compactMap { Self.text($0.properties["ten"]) }
        #expect(inBox.sorted() == expected.sorted() && !expected.isEmpty && expected.count < 15)
    }
}
