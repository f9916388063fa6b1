import PostgresNIO

extension PostGISDatabase {
    /// Waits until the database that reads go to has replayed the primary's WAL up to `position`,
    /// polling every `interval` until `timeout`. A server that is not in recovery (a primary, or a
    /// standby promoted meanwhile) holds every commit, so it is caught up at once. Errors while
    /// polling (a replica restarting) count as "not yet": the wait ends at the timeout at the latest.
    public func waitForReplay(to position: WALPosition, timeout: Duration, interval: Duration = .milliseconds(20)) async -> ReplayWait {
        let clock = ContinuousClock()
        let start = clock.now
        var replayed: WALPosition?
        let target = position.asRecordEnd
        while true {
            if let answer = try? await rows("SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text"),
               let row = answer.first, let (inRecovery, text) = try? row.decode((Bool, String?).self) {
                replayed = text.flatMap(WALPosition.init(parsing:))
                if !inRecovery || replayed.map({ $0 >= target }) == true { return .caughtUp(waited: clock.now - start) }
            }
            if clock.now - start >= timeout || Task.isCancelled { return .timedOut(replayed: replayed) }
            try? await Task.sleep(for: interval)
        }
    }
}
