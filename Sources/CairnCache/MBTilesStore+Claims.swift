import CairnCore
import CairnSQLite
import Foundation

/// Claims on metatiles, so that seeders of one file (two `cairn seed` processes, admin jobs, or
/// both) never render the same metatile twice. A seeder claims a metatile in one short
/// BEGIN IMMEDIATE transaction before rendering it and releases it after storing its tiles; a
/// claim held by someone else is left alone until it is released or its lease runs out, so the
/// claims of a crashed process are taken over once they expire (at once, when the caller can
/// tell its holder is dead).
///
/// ```
/// cairn_claims(zoom_level, tile_column, tile_row,   -- the metatile's top-left tile, TMS row
///              metatile_columns, metatile_rows,      -- its size: seeders with other sizes do not collide
///              owner TEXT, expires_at INTEGER)      -- milliseconds since 1970
/// ```
extension MBTilesStore {
    static let claimsTable = """
        CREATE TABLE IF NOT EXISTS cairn_claims (
            zoom_level INTEGER NOT NULL,
            tile_column INTEGER NOT NULL,
            tile_row INTEGER NOT NULL,
            metatile_columns INTEGER NOT NULL,
            metatile_rows INTEGER NOT NULL,
            owner TEXT NOT NULL,
            expires_at INTEGER NOT NULL,
            PRIMARY KEY (zoom_level, tile_column, tile_row, metatile_columns, metatile_rows)
        ) WITHOUT ROWID
        """

    /// Creates the claims table when missing and forgets expired claims. Call once before claiming.
    public func prepareClaims() throws {
        let now = Self.milliseconds(Date())
        try write {
            try execute(Self.claimsTable) { _ in }
            try execute("DELETE FROM cairn_claims WHERE expires_at <= ?1") { statement in try statement.bind(now, at: 1) }
        }
    }

    /// Claims `metatile` for `owner` until `lease` from now. Another owner's unexpired claim is
    /// taken over only when `isAbandoned` says that owner is gone (a process known dead).
    /// - Returns: false when another owner holds the claim (nothing changes then); true when it
    ///   is now `owner`'s.
    public func claim(_ metatile: Metatile, owner: String, lease: Duration, isAbandoned: (String) -> Bool = { _ in false }) throws -> Bool {
        let row = try tmsRow(metatile.origin)
        let now = Self.milliseconds(Date())
        let expiry = now + lease.components.seconds * 1000 + lease.components.attoseconds / 1_000_000_000_000_000
        return try write {
            try execute("""
                INSERT INTO cairn_claims (zoom_level, tile_column, tile_row, metatile_columns, metatile_rows, owner, expires_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                ON CONFLICT (zoom_level, tile_column, tile_row, metatile_columns, metatile_rows) DO UPDATE SET
                    owner = excluded.owner, expires_at = excluded.expires_at
                WHERE cairn_claims.owner = excluded.owner OR cairn_claims.expires_at <= ?8
                """) { statement in
                try Self.bindClaimKey(statement, metatile, row: row)
                try statement.bind(owner, at: 6)
                try statement.bind(expiry, at: 7)
                try statement.bind(now, at: 8)
            } == 1 || takeOver(metatile, row: row, owner: owner, expiry: expiry, isAbandoned: isAbandoned)
        }
    }

    /// Gives `owner` the claim when its holder is abandoned. Call inside the claim's transaction.
    private func takeOver(_ metatile: Metatile, row: Int, owner: String, expiry: Int64, isAbandoned: (String) -> Bool) throws -> Bool {
        let key = "zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3 AND metatile_columns = ?4 AND metatile_rows = ?5"
        let holder = try query("SELECT owner FROM cairn_claims WHERE " + key) { statement in
            try Self.bindClaimKey(statement, metatile, row: row)
            return try statement.step() ? statement.string(0) : nil
        }
        guard let holder, holder != owner, isAbandoned(holder) else { return false }
        return try execute("UPDATE cairn_claims SET owner = ?6, expires_at = ?7 WHERE " + key) { statement in
            try Self.bindClaimKey(statement, metatile, row: row)
            try statement.bind(owner, at: 6)
            try statement.bind(expiry, at: 7)
        } == 1
    }

    /// Gives up `owner`'s claim on `metatile`; someone else's claim stays.
    public func releaseClaim(_ metatile: Metatile, owner: String) throws {
        let row = try tmsRow(metatile.origin)
        _ = try write {
            try execute("""
                DELETE FROM cairn_claims WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3
                AND metatile_columns = ?4 AND metatile_rows = ?5 AND owner = ?6
                """) { statement in
                try Self.bindClaimKey(statement, metatile, row: row)
                try statement.bind(owner, at: 6)
            }
        }
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// Binds a claim's key (zoom, origin column, TMS row, metatile size) to parameters 1 to 5.
    private static func bindClaimKey(_ statement: SQLiteStatement, _ metatile: Metatile, row: Int) throws {
        try statement.bind(metatile.z, at: 1)
        try statement.bind(metatile.origin.x, at: 2)
        try statement.bind(row, at: 3)
        try statement.bind(metatile.columns, at: 4)
        try statement.bind(metatile.rows, at: 5)
    }
}
