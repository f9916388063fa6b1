import CairnCore
import CairnPostGIS
import Foundation
import Synchronization

/// Edits of one table in one SRID, merged while their debounce runs.
struct PendingEdit: Sendable {
    var boxes: [BoundingBox] = []
    var wholeTable = false
    /// Statement times, for the latency histogram once the tiles are marked.
    var statementTimes: [Double] = []

    /// Boxes kept one by one; beyond this, their extent (a bulk edit is one area anyway).
    static let maximumBoxes = 256

    /// The furthest primary WAL position of the merged notifications (reads from a replica wait for it).
    var primaryPosition: WALPosition?

    mutating func merge(_ notification: ChangeNotification) {
        statementTimes.append(notification.statementTime)
        if let position = notification.primaryPosition { primaryPosition = max(primaryPosition ?? position, position) }
        if notification.wholeTable { wholeTable = true; boxes = []; return }
        if wholeTable { return }
        boxes += notification.boxes
        if boxes.count > Self.maximumBoxes {
            var extent = BoundingBox.empty
            for box in boxes { extent.extend(with: box) }
            boxes = [extent]
        }
    }
}

/// Where an edit is waiting: the database, the table and the SRID of its boxes.
struct PendingEditKey: Hashable, Sendable {
    var database: String
    var table: PostGISTableName
    var srid: Int?
}

/// The engine's live-edit bookkeeping: edits in their debounce window, the listeners (for
/// `/health`), maps whose background refresh is running (and whether another was asked for),
/// and the rate limit of the log of ignored payloads.
final class LiveEditState: Sendable {
    let pending = Mutex<[PendingEditKey: PendingEdit]>([:])
    let listeners = Mutex<[String: ChangeListener]>([:])
    /// Maps refreshing now → whether another pass was asked for meanwhile.
    let refreshing = Mutex<[String: Bool]>([:])
    /// Start of the current one-minute window of logged ignored payloads, and how many were logged in it.
    let ignoredLog = Mutex<(windowStart: Date, logged: Int, suppressed: Int)>((Date.distantPast, 0, 0))
}
