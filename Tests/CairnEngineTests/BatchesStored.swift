import CairnTestSupport
@testable import CairnEngine

extension TileEngine {
    /// Waits until every metatile whose requested tile was answered before the rest of it was drawn
    /// is stored (and that tile kept in memory): what a test expecting "the batch is cached after the
    /// answer" waits for. False at the deadline.
    @discardableResult
    func untilBatchesStored(timeout: Duration = .seconds(60)) async -> Bool {
        await Wait.until(timeout: timeout) { batchesFinishingBehindAnswers == 0 }
    }
}
