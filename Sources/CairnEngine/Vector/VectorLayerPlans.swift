import Synchronization

/// The vector layer plan of each map's current version, made once per version because making
/// one scans the data for attribute types.
final class VectorLayerPlans: Sendable {
    private let plans = Mutex<[String: VectorLayerPlan]>([:])

    func plan(for map: LoadedMap) -> VectorLayerPlan {
        if let known = plans.withLock({ $0[map.name] }), known.fingerprint == map.fingerprint { return known }
        let plan = VectorLayerPlan(map: map)
        plans.withLock { $0[map.name] = plan }
        return plan
    }
}
