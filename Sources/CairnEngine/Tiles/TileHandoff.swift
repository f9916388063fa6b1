import CairnCore
import Synchronization

/// One requested tile, answered as soon as it exists: by the render thread the moment the tile is
/// made (before the rest of its metatile), or by the end of the batch's work (joined renders, other
/// products, failures). The first answer wins; later ones are ignored.
final class TileHandoff: Sendable {
    let tile: TileCoordinate
    private let state = Mutex<State>(.init())

    private struct State {
        var outcome: Result<TileResult, any Error>?
        var waiter: CheckedContinuation<TileResult, any Error>?
    }

    init(_ tile: TileCoordinate) {
        self.tile = tile
    }

    /// Answers the waiter (now or when it comes); only the first call counts.
    func resolve(_ outcome: Result<TileResult, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<TileResult, any Error>? in
            guard state.outcome == nil else { return nil }
            state.outcome = outcome
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(with: outcome)
    }

    /// The tile, once resolved. Call once.
    func value() async throws -> TileResult {
        try await withCheckedThrowingContinuation { continuation in
            let outcome = state.withLock { state -> Result<TileResult, any Error>? in
                if state.outcome == nil { state.waiter = continuation }
                return state.outcome
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }
}
