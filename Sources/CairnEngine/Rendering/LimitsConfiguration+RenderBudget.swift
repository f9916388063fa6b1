import CairnConfiguration

extension LimitsConfiguration {
    /// The budget of one metatile render starting now.
    public func renderBudget() -> RenderBudget {
        RenderBudget(timeout: .milliseconds(renderTimeoutMilliseconds), maxFeatures: renderMaxFeatures, maxVertices: renderMaxVertices)
    }
}
