import CairnCore

/// What one metatile render may spend: wall-clock time, features and vertices drawn. Checked
/// between features, so one pathological layer cannot hold a render thread or memory for long;
/// a render over budget fails (503) and nothing is cached.
public struct RenderBudget: Sendable {
    public var timeout: Duration?
    public var maxFeatures: Int
    public var maxVertices: Int

    public init(timeout: Duration? = nil, maxFeatures: Int = .max, maxVertices: Int = .max) {
        self.timeout = timeout
        self.maxFeatures = maxFeatures
        self.maxVertices = maxVertices
    }

    public static var unlimited: RenderBudget { RenderBudget() }
}

/// A render stopped because it went over its `RenderBudget`.
public struct RenderBudgetExceeded: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { "render budget exceeded: \(reason)" }
}

/// Counts what a render has drawn against its budget.
struct RenderBudgetMeter {
    let budget: RenderBudget
    let deadline: ContinuousClock.Instant?
    private(set) var features = 0
    private(set) var vertices = 0

    init(_ budget: RenderBudget) {
        self.budget = budget
        deadline = budget.timeout.map { ContinuousClock.now + $0 }
    }

    /// Charges one feature before it is drawn. - Throws: `RenderBudgetExceeded`.
    mutating func charge(_ feature: Feature) throws {
        features += 1
        if features > budget.maxFeatures { throw RenderBudgetExceeded(reason: "more than \(budget.maxFeatures) features") }
        if budget.maxVertices != .max {
            vertices += feature.geometry.vertexCount
            if vertices > budget.maxVertices { throw RenderBudgetExceeded(reason: "more than \(budget.maxVertices) vertices") }
        }
        // Reading the clock costs little next to drawing a feature, but not nothing: every 16th.
        if features & 15 == 0 { try checkTime() }
    }

    /// Charges a batch of features at once (their vertices are not counted), then checks the
    /// time. - Throws: `RenderBudgetExceeded`.
    mutating func charge(features count: Int) throws {
        features += count
        if features > budget.maxFeatures { throw RenderBudgetExceeded(reason: "more than \(budget.maxFeatures) features") }
        try checkTime()
    }

    func checkTime() throws {
        if let deadline, ContinuousClock.now > deadline { throw RenderBudgetExceeded(reason: "over the time budget") }
    }
}

extension Geometry {
    /// Points in all parts and rings.
    var vertexCount: Int {
        switch self {
        case .points(let points): return points.count
        case .lines(let lines): return lines.reduce(0) { $0 + $1.count }
        case .polygons(let polygons): return polygons.reduce(0) { total, rings in rings.reduce(total) { $0 + $1.count } }
        }
    }
}
