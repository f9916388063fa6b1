import CairnCore
import CairnSources
import Testing

@Suite struct GeoJSONCRSTests {
    @Test func rfc7946DefaultsToWGS84() throws {
        let data = try GeoJSONReader(path: GeoJSONFixtures.path("all_types.geojson")).read(LayerQuery())
        #expect(data.crs == .wgs84)
    }

    @Test func oldStyleURNNameOverrides() throws {
        let data = try GeoJSONReader(path: GeoJSONFixtures.path("old_crs.geojson")).read(LayerQuery())
        #expect(data.crs == .epsg(3405))
        #expect(data.features.first?.geometry == .points([Point(651802.8, 2228275.1)]))
    }

    @Test func oldStyleShortNameAndEPSGType() throws {
        let short = try GeoJSONFixtures.temporaryFile(
            #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:9210"}},"features":[]}"#)
        #expect(try GeoJSONReader(path: short).read(LayerQuery()).crs == .epsg(9210))
        let typed = try GeoJSONFixtures.temporaryFile(
            #"{"type":"FeatureCollection","crs":{"type":"EPSG","properties":{"code":3405}},"features":[]}"#)
        #expect(try GeoJSONReader(path: typed).read(LayerQuery()).crs == .epsg(3405))
        let crs84 = try GeoJSONFixtures.temporaryFile(
            #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[]}"#)
        #expect(try GeoJSONReader(path: crs84).read(LayerQuery()).crs == .wgs84)
    }
}
