import CairnCore
import Foundation

/// Reads a GeoJSON file as one layer named after the file (without its extension).
///
/// The root may be a FeatureCollection, a single Feature, or a bare geometry (one feature
/// without id or properties). How the GeoJSON model maps onto ``Feature``:
///
/// - **Geometries**: Point/MultiPoint -> `.points`, LineString/MultiLineString -> `.lines`,
///   Polygon/MultiPolygon -> `.polygons` (first ring exterior, the rest holes). Z and M
///   ordinates are ignored. Rings are taken as written (no closing or winding checks).
/// - **GeometryCollection** is *split*, as geojson-vt does: one feature per geometry kind it
///   holds (points, then lines, then polygons), each with the same id and properties.
///   Nested collections are flattened. Nothing is dropped, so a collection may yield up to three features.
/// - **Null geometry**: the feature is skipped (a ``Feature`` always has a geometry).
/// - **Properties**: strings -> `.string`; `true`/`false` -> `.bool`; null -> `.null`;
///   numbers written without a fraction or exponent that fit Int64 -> `.int`, all other numbers
///   -> `.double`; nested objects and arrays -> `.string` holding compact JSON text with sorted keys.
/// - **id**: an integer id becomes ``Feature/id``; any other id (a string, a fractional
///   number) is kept as the property `"$id"` (`.string` or `.double`).
/// - **CRS**: RFC 7946 data is EPSG:4326 (``CRSDefinition/wgs84``). The 2008 spec's `crs`
///   member on the root overrides it: `{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3405"}}`
///   (any name ``CRSDefinition/init(parsing:)`` understands) or `{"type":"EPSG","properties":{"code":3405}}`.
///   A `"link"` CRS cannot be resolved here and gives a nil CRS.
/// - **Query**: `bbox` keeps the features whose geometry box intersects it; `attributes`
///   keeps only those property keys (include `"$id"` to keep a non-integer id).
///
/// Malformed input throws ``SourceError`` whose message names the JSON path, e.g.
/// `features[12].geometry.coordinates: expected an array of positions, found a number`.
public struct GeoJSONReader: LayerReader, Sendable {
    /// The file this reader reads.
    public let path: String
    /// The layer name: the file name without its extension.
    public let layerName: String

    /// Checks that `path` is a readable file; parsing happens in ``read(_:)``.
    public init(path: String) throws {
        self.layerName = try SingleLayerFile.open(path)
        self.path = path
    }

    /// The single layer, named after the file.
    public func layerNames() throws -> [String] { [layerName] }

    /// Parses the file and returns its features in the declared (or RFC 7946 default) CRS.
    public func read(_ query: LayerQuery) throws -> LayerData {
        try SingleLayerFile.check(query, layerName: layerName, path: path)
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw SourceError(.notFound, path: path, "cannot read file: \(error.localizedDescription)")
        }
        return try Self.parse(data, path: path, layerName: layerName, query: query)
    }

    /// Parses GeoJSON text already in memory; `path` only names it in error messages.
    public static func parse(_ data: Data, path: String, layerName: String, query: LayerQuery) throws -> LayerData {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            throw SourceError(.malformed, path: path, "not valid JSON: \(detail)")
        }
        var parser = GeoJSONDocumentParser(path: path, query: query)
        let crs = try parser.parse(root)
        return LayerData(name: layerName, features: parser.features, crs: crs)
    }
}
