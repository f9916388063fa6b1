import CairnEngine
import CairnPostGIS
import Foundation

extension PrometheusText {
    /// Live edits (PostGIS `LISTEN`): notifications, reconnects, tiles expired, and the histogram
    /// of edit-to-expiry latency (the statement's clock time → its tiles marked stale).
    static func liveEdits(_ metrics: LiveEditMetrics, engine: TileEngine) -> String {
        var text = ""
        func counter(_ name: String, _ help: String, _ value: Int) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) counter\n\(name) \(value)\n"
        }
        counter("cairn_live_edit_notifications_total", "Edit notifications received from PostGIS triggers.", metrics.receivedCount)
        counter("cairn_live_edit_notifications_ignored_total", "Notifications on the channel that were not Cairn's (logged, ignored).", metrics.ignoredCount)
        counter("cairn_live_edit_listener_reconnects_total", "LISTEN connections made again after a loss (everything drawn from the database was marked stale).",
                metrics.reconnectCount)
        counter("cairn_live_edit_expired_tiles_total", "Cached tiles marked stale by live edits.", metrics.expiredTileCount)
        counter("cairn_live_edit_replica_waits_total", "Edits whose expiry waited for the read replica to replay them (databases with listen_url).",
                metrics.replicaWaitCount)
        counter("cairn_live_edit_replica_wait_timeouts_total", "Replica waits that ran out: the tiles were expired anyway and may be re-rendered from rows without the edit.",
                metrics.replicaWaitTimeoutCount)
        text += "# HELP cairn_live_edit_replica_wait_seconds_total Seconds spent waiting for read replicas to replay edits.\n# TYPE cairn_live_edit_replica_wait_seconds_total counter\n"
        text += "cairn_live_edit_replica_wait_seconds_total \(metrics.replicaWaitSeconds)\n"
        let name = "cairn_live_edit_expiry_seconds"
        text += "# HELP \(name) Edit-to-expiry latency: the edit statement's time to its tiles marked stale.\n# TYPE \(name) histogram\n"
        let latency = metrics.latency
        for bucket in latency.buckets {
            text += "\(name)_bucket{le=\"\(bucket.le)\"} \(bucket.count)\n"
        }
        text += "\(name)_bucket{le=\"+Inf\"} \(latency.count)\n\(name)_sum \(latency.sum)\n\(name)_count \(latency.count)\n"
        let listeners = engine.changeListenerStatuses
        if !listeners.isEmpty {
            text += "# HELP cairn_live_edit_listener_connected Whether the database's LISTEN connection is up (1) or not (0).\n# TYPE cairn_live_edit_listener_connected gauge\n"
            for listener in listeners {
                let up = if case .connected = listener.state { 1 } else { 0 }
                text += "cairn_live_edit_listener_connected{database=\"\(listener.database)\"} \(up)\n"
            }
        }
        return text
    }
}
