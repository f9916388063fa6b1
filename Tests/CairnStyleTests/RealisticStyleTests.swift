import Testing
import Foundation
import CairnCore
@testable import CairnStyle

/// Loads Fixtures/styles/hai-phong.json, a style over the committed Hai Phong data that uses every
/// supported property, and evaluates it against features shaped like that data.
@Suite struct RealisticStyleTests {
    static let path = FixtureFiles.root.appendingPathComponent("styles/hai-phong.json").path
    static let style = try! Style.load(path: path)
    /// The path with symbolic links resolved, so a linked checkout compares equal.
    static func real(_ path: String) -> String { URL(fileURLWithPath: path).resolvingSymlinksInPath().path }

    /// Tests/ of this repository: the style's sources are the committed data and the reader fixtures.
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().path
    static let repositoryRoot = URL(fileURLWithPath: testsFolder).deletingLastPathComponent().path

    static func layer(_ id: String) throws -> StyleLayer {
        try #require(style.layer(id: id))
    }

    @Test func document() {
        let style = Self.style
        #expect(style.name == "Hai Phong test style")
        #expect(style.center == Point(x: 106.6822, y: 20.8449))
        #expect(style.zoom == 12)
        #expect(style.metadata?["cairn:author"] == .string("tests"))
        #expect(style.layers.map(\.id) == [
            "background", "land", "land-use", "sea", "district-boundaries", "rivers", "roads-casing", "roads",
            "buildings", "stations", "poi-labels", "road-labels", "places", "hidden-patterns",
        ])
        #expect(style.warnings.isEmpty, "\(style.warnings)")
        #expect(style.sprites == [StyleSprite(id: "default", url: "https://example.com/sprite")])
        #expect(style.layers[13].fill?.pattern?.constantValue == "stripes")
    }

    @Test func sources() throws {
        let hp = try #require(Self.style.sources["hp"])
        #expect(hp.type == .vector)
        #expect(hp.path == "../../../../data/hai_phong_demo.gpkg")
        #expect(Self.real(hp.resolvedPath) == Self.real(Self.repositoryRoot + "/data/hai_phong_demo.gpkg"))
        #expect(hp.attribution == "GSO, GSHHG, GeoNames; synthetic layers")
        #expect(hp.minzoom == 0 && hp.maxzoom == 18)
        #expect(hp.crs == nil)
        let tm3 = try #require(Self.style.sources["districts_tm3"])
        #expect(tm3.crs == .epsg(9210))
        #expect(tm3.path == "file://../../../CairnSourcesTests/Shapefile/Fixtures/hai_phong/hp_districts_vn2000_tm3.shp")
        #expect(Self.real(tm3.resolvedPath)
            == Self.real(Self.testsFolder + "/CairnSourcesTests/Shapefile/Fixtures/hai_phong/hp_districts_vn2000_tm3.shp"))
        let pois = try #require(Self.style.sources["pois"])
        #expect(pois.type == .geojson)
        #expect(Self.real(pois.resolvedPath)
            == Self.real(Self.testsFolder + "/CairnSourcesTests/GeoJSON/Fixtures/hai_phong/syn_pois_sample.geojson"))
        for source in Self.style.sources.values {
            #expect(FileManager.default.fileExists(atPath: source.resolvedPath), "\(source.resolvedPath)")
        }
    }

    @Test func landUse() throws {
        let layer = try Self.layer("land-use")
        let fill = try #require(layer.fill)
        #expect(layer.sourceLayer == "syn_land_use")
        #expect(layer.minzoom == 10 && !layer.isVisible(atZoom: 9.99) && layer.isVisible(atZoom: 10))
        #expect(layer.requiredAttributes == ["ma_loai_dat", "so_thua"])
        let odt = EvaluationContext(zoom: 12, properties: ["ma_loai_dat": .string("ONT"), "so_thua": .int(7)])
        #expect(fill.color.evaluate(odt) == CSSColorParser.parse("#e0d4c8"))
        #expect(fill.color.evaluate(EvaluationContext(zoom: 12, properties: ["ma_loai_dat": .string("RPH")]))
            == CSSColorParser.parse("forestgreen"))
        #expect(fill.color.evaluate(EvaluationContext(zoom: 12)) == Color(red: 0, green: 0, blue: 0, alpha: 0.05))
        #expect(fill.opacity.isFeatureConstant && !fill.opacity.isZoomConstant)
        #expect(abs(fill.opacity.evaluate(atZoom: 12) - 0.5) < 1e-9)
        #expect(fill.outlineColor?.constantValue == Color(red: 120 / 255, green: 100 / 255, blue: 80 / 255, alpha: 0.5))
        #expect(fill.sortKey?.evaluate(odt) == 7)
        #expect(try Self.layer("land").fill?.antialias.constantValue == false)
    }

    @Test func districtBoundaries() throws {
        let layer = try Self.layer("district-boundaries")
        let line = try #require(layer.line)
        let filter = try #require(layer.filter)
        #expect(filter.matches(EvaluationContext(zoom: 10, properties: ["loai": .string("Quận")])))
        #expect(!filter.matches(EvaluationContext(zoom: 10, properties: ["loai": .string("Huyện")])))
        #expect(line.dashArray?.constantValue == [3, 1.5])
        #expect(line.width.evaluate(atZoom: 8) == 0.5)
        #expect(line.width.evaluate(atZoom: 14) == 2)
        let mid = line.width.evaluate(atZoom: 11)
        #expect(mid > 0.5 && mid < 1.25, "base 1.2 curves below linear: \(mid)")
        #expect(line.opacity.constantValue == 0.8)
        #expect(line.blur.constantValue == 0.5)
        #expect(layer.requiredAttributes == ["loai"])
    }

    @Test func roads() throws {
        let rivers = try #require(try Self.layer("rivers").line)
        #expect(rivers.width.evaluate(EvaluationContext(zoom: 5, properties: ["wdb_level": .int(2)])) == 1.5)
        #expect(rivers.width.evaluate(EvaluationContext(zoom: 5, properties: ["wdb_level": .int(9)])) == 1)

        let casing = try Self.layer("roads-casing")
        let casingLine = try #require(casing.line)
        #expect(casing.filter?.matches(EvaluationContext(zoom: 14, properties: ["highway": .string("trunk")])) == true)
        #expect(casing.filter?.matches(EvaluationContext(zoom: 14, properties: ["highway": .string("service")])) == false)
        #expect(casingLine.cap.constantValue == .round && casingLine.join.constantValue == .round)
        #expect(casingLine.miterLimit.constantValue == 3 && casingLine.roundLimit.constantValue == 1.5)
        #expect(casingLine.gapWidth.constantValue == 6 && casingLine.offset.constantValue == 0)

        let roads = try Self.layer("roads")
        let line = try #require(roads.line)
        #expect(roads.requiredAttributes == ["cau", "highway", "so_lan"])
        let motorway = EvaluationContext(zoom: 10, properties: ["highway": .string("motorway"), "cau": .int(0), "so_lan": .int(4)])
        #expect(roads.filter?.matches(motorway) == true)
        #expect(roads.filter?.matches(EvaluationContext(zoom: 10, properties: ["highway": .string("service")])) == false)
        #expect(roads.filter?.matches(EvaluationContext(zoom: 10, properties: ["highway": .string("primary"), "cau": .int(1)])) == false)
        #expect(line.width.evaluate(motorway) == 2)
        #expect(line.width.evaluate(EvaluationContext(zoom: 18, properties: ["highway": .string("tertiary")])) == 8)
        #expect(!line.width.isFeatureConstant && !line.width.isZoomConstant)
        #expect(line.color.evaluate(motorway) == CSSColorParser.parse("#e892a2"))
        #expect(line.join.constantValue == .bevel && line.cap.constantValue == .square)
        #expect(line.sortKey?.evaluate(motorway) == 4)
    }

    @Test func buildings() throws {
        let layer = try Self.layer("buildings")
        let fill = try #require(layer.fill)
        let context = EvaluationContext(zoom: 15, properties: ["so_tang": .int(6)], geometryType: .polygon)
        #expect(layer.filter?.matches(context) == true)
        #expect(layer.filter?.matches(EvaluationContext(zoom: 15)) == false)
        #expect(fill.color.evaluate(context) == CSSColorParser.parse("#c9bdb3"))
        #expect(fill.opacity.constantValue == 0.9)
        #expect(layer.requiredAttributes == ["so_tang"])
    }

    @Test func stations() throws {
        let layer = try Self.layer("stations")
        let circle = try #require(layer.circle)
        let station = EvaluationContext(zoom: 16, properties: ["aqi": .int(100), "loai_quan_trac": .string("Nước mặt")])
        #expect(circle.radius.evaluate(station) == 6)
        #expect(circle.radius.evaluate(EvaluationContext(zoom: 16)) == 4)
        #expect(circle.color.evaluate(station) == CSSColorParser.parse("#377eb8"))
        #expect(circle.opacity.constantValue == 0.8)
        #expect(circle.strokeWidth.constantValue == 1)
        #expect(circle.strokeColor.constantValue == .white)
        #expect(circle.strokeOpacity.constantValue == 0.9)
        #expect(circle.blur.constantValue == 0)
        #expect(circle.sortKey?.evaluate(station) == 100)
        #expect(layer.requiredAttributes == ["aqi", "loai_quan_trac"])
    }

    @Test func poiLabels() throws {
        let layer = try Self.layer("poi-labels")
        let symbol = try #require(layer.symbol)
        let poi = EvaluationContext(zoom: 16, properties: ["ten": .string("Chùa Phổ Chiếu"), "loai": .string("Chùa")])
        #expect(symbol.textField?.evaluate(poi) == "Chùa Phổ Chiếu\nChùa")
        #expect(symbol.textField?.evaluate(EvaluationContext(zoom: 16)) == "\n")
        #expect(layer.requiredAttributes == ["ten", "loai"])
        #expect(symbol.textFont.constantValue == ["Noto Sans Regular"])
        #expect(symbol.textSize.constantValue == 12)
        #expect(symbol.textAnchor.constantValue == .top)
        #expect(symbol.textOffset.constantValue == [0, 0.6])
        #expect(symbol.textMaxWidth.constantValue == 8)
        #expect(symbol.optional.constantValue == true)
        #expect(symbol.padding.constantValue == 4)
        #expect(symbol.allowOverlap.constantValue == false)
        #expect(symbol.letterSpacing.constantValue == 0.05)
        #expect(symbol.justify.constantValue == .left)
        #expect(symbol.transform.constantValue == TextTransform.none)
        #expect(symbol.sortKey?.evaluate(poi) == -14)
        #expect(symbol.textColor.constantValue == CSSColorParser.parse("#333333"))
        #expect(symbol.textHaloColor.constantValue == Color(red: 1, green: 1, blue: 1, alpha: 0.8))
        #expect(symbol.textHaloWidth.constantValue == 1.5)
    }

    @Test func roadAndPlaceLabels() throws {
        let roadLabels = try #require(try Self.layer("road-labels").symbol)
        let road = EvaluationContext(zoom: 15, properties: ["ten": .string("Lạch Tray")])
        #expect(roadLabels.textField?.evaluate(road) == "Lạch Tray")
        #expect(roadLabels.textField?.evaluate(EvaluationContext(zoom: 15, properties: ["so_hieu": .string("QL.5")])) == "QL.5")
        #expect(roadLabels.textField?.evaluate(EvaluationContext(zoom: 15)) == "")
        #expect(roadLabels.placement.constantValue == .line)
        #expect(roadLabels.textFont.constantValue == ["Noto Sans Bold"])
        #expect(roadLabels.textSize.evaluate(atZoom: 15) == 12)
        #expect(roadLabels.spacing.constantValue == 300)
        #expect(roadLabels.maxAngle.constantValue == 30)
        #expect(roadLabels.rotationAlignment.constantValue == .map)
        #expect(roadLabels.transform.constantValue == .uppercase)
        #expect(roadLabels.textHaloColor.constantValue == .white)

        let places = try Self.layer("places")
        let symbol = try #require(places.symbol)
        let city = EvaluationContext(zoom: 10, properties: ["ten": .string("Hải Phòng"), "dan_so": .int(602_695)])
        #expect(places.filter?.matches(city) == true)
        #expect(places.filter?.matches(EvaluationContext(zoom: 10, properties: ["dan_so": .int(500)])) == false)
        #expect(symbol.textField?.evaluate(city) == "Hải Phòng")
        #expect(symbol.textSize.evaluate(atZoom: 11) == 13.5)
        #expect(symbol.textAnchor.constantValue == .bottom)
        #expect(places.requiredAttributes == ["ten", "dan_so"])
    }

    @Test func hiddenLayer() throws {
        let layer = try Self.layer("hidden-patterns")
        #expect(!layer.isVisible)
        #expect(!layer.isVisible(atZoom: 10))
        #expect(try Self.layer("places").isVisible)
    }
}
