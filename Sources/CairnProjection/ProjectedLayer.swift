import CairnCore

/// A layer whose features are already in the grid CRS, with their extent and a spatial index,
/// ready for per-tile queries. Built once at load and shared between render threads.
public struct ProjectedLayer: Sendable {
    public let name: String
    /// The features in the grid CRS, in file order.
    public let features: [Feature]
    /// The extent of all features (`.empty` for a layer without geometry).
    public let bounds: BoundingBox
    /// R-tree over the features' bounding boxes.
    public let index: FeatureIndex
    /// Features lost in reprojection, for load reports.
    public let droppedFeatureCount: Int

    /// Indexes `features`, which must already be in the grid CRS.
    public init(name: String, features: [Feature], droppedFeatureCount: Int = 0) {
        var boxes: [BoundingBox] = []
        boxes.reserveCapacity(features.count)
        for feature in features { boxes.append(feature.geometry.boundingBox) }
        self.name = name
        self.features = features
        self.index = FeatureIndex(boxes: boxes)
        self.bounds = index.bounds
        self.droppedFeatureCount = droppedFeatureCount
    }

    /// Reprojects `features` from `source` into `grid` and indexes them; features that fail are dropped
    /// and counted in `droppedFeatureCount`.
    public init(name: String, features: [Feature], from source: CRSDefinition, to grid: CRSDefinition) throws {
        let reprojection = try Reprojector(from: source, to: grid).reproject(features)
        self.init(name: name, features: reprojection.features, droppedFeatureCount: reprojection.droppedCount)
    }

    /// Indices into `features` of those whose bounding box intersects `box`, ascending (file order).
    public func featureIndices(intersecting box: BoundingBox) -> [Int32] {
        index.query(box)
    }

    /// Calls `body` with each feature whose bounding box intersects `box`, in file order.
    public func forEachFeature(intersecting box: BoundingBox, _ body: (Feature) throws -> Void) rethrows {
        for featureIndex in index.query(box) {
            try body(features[Int(featureIndex)])
        }
    }
}
