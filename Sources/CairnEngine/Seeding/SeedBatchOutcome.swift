/// What one batch of a seed (a metatile, or a batch of vector tiles) did.
struct SeedBatchOutcome: Sendable {
    var cached = 0, rendered = 0, blank = 0, failed = 0, bytes = 0
}
