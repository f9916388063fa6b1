/// A position in PostgreSQL's write-ahead log (an LSN), as the server prints one: two hexadecimal
/// numbers, the high and low 32 bits, e.g. `16/B374D848`. Positions grow with every change, so a
/// standby that has replayed up to a position shows every commit written before it.
public struct WALPosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var value: UInt64

    public init(_ value: UInt64) { self.value = value }

    /// Parses `HIGH/LOW` as `pg_lsn` prints it; nil for anything else.
    public init?(parsing text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...8).contains(parts[0].count), (1...8).contains(parts[1].count),
              let high = UInt64(parts[0], radix: 16), let low = UInt64(parts[1], radix: 16) else { return nil }
        value = high << 32 | low
    }

    /// The same place as the end of the last record before it. `pg_current_wal_insert_lsn()` names a
    /// position at a page boundary by the first byte after the page header (24 bytes; 40 at the start
    /// of a 16 MB segment), while a standby's `pg_last_wal_replay_lsn()` names the end of the last
    /// record, the boundary itself: comparing them as they are would wait for a record that may
    /// never come on an idle primary. Assumes PostgreSQL's default 8 kB pages and 16 MB segments.
    public var asRecordEnd: WALPosition {
        let page: UInt64 = 8192, segment: UInt64 = 16 << 20
        if value % segment == 40 { return WALPosition(value - 40) }
        if value % page == 24 { return WALPosition(value - 24) }
        return self
    }

    public static func < (lhs: WALPosition, rhs: WALPosition) -> Bool { lhs.value < rhs.value }

    public var description: String {
        String(value >> 32, radix: 16, uppercase: true) + "/" + String(value & 0xFFFF_FFFF, radix: 16, uppercase: true)
    }
}
