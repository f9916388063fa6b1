// libFuzzer harness for the GeoJSON reader; built and run by scripts/fuzz.
import CairnCore
import CairnSources
import Foundation

/// Properties checked on every input:
/// - parsing never traps (bad input is a thrown `SourceError` naming the JSON path);
/// - every feature it returns has finite coordinates (the index and the renderer rely on it);
/// - a bounding-box query returns a subset of the unfiltered features.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGeoJSON(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    let bytes = Data(UnsafeRawBufferPointer(start: data, count: size))
    guard let layer = try? GeoJSONReader.parse(bytes, path: "fuzz.geojson", layerName: "fuzz", query: LayerQuery()) else { return 0 }
    for feature in layer.features {
        feature.geometry.forEachPoint { point in
            if !point.x.isFinite || !point.y.isFinite { fatalError("non-finite coordinate in feature \(feature)") }
        }
    }
    let box = BoundingBox(minX: -10, minY: -10, maxX: 10, maxY: 10)
    guard let filtered = try? GeoJSONReader.parse(bytes, path: "fuzz.geojson", layerName: "fuzz", query: LayerQuery(bbox: box)) else {
        fatalError("a document that parses fails with a bounding box")
    }
    if filtered.features.count > layer.features.count { fatalError("the bounding box query returned more features") }
    return 0
}
