import CairnConfiguration
import CairnCore
import CairnPostGIS
import CairnTestSupport
import Foundation
import Logging
import PostgresNIO
import Synchronization
import Testing

/// The triggers on a real PostGIS table, heard through `ChangeListener`: one notification per
/// statement, the boxes of old and new geometries, a 10,000-row statement summarised in one
/// notification under PostgreSQL's 8000-byte limit, TRUNCATE as the whole table.
@Suite(.interop, .serialized)
struct ChangeTriggerTests {
    final class Heard: Sendable {
        let events = Mutex<[ChangeListener.Event]>([])
        var notifications: [ChangeNotification] {
            events.withLock { $0.compactMap { if case .notification(let n) = $0 { n } else { nil } } }
        }
        var ignored: [String] {
            events.withLock { $0.compactMap { if case .ignored(_, let reason) = $0 { reason } else { nil } } }
        }
        var resumed: Int { events.withLock { $0.filter { if case .resumed = $0 { true } else { false } }.count } }
    }

    @Test func oneNotificationPerStatementWithTheBoxesOfOldAndNewGeometries() async throws {
        let cluster = try PostgresCluster()
        defer { cluster.shutdown() }
        try cluster.createDatabase("city")
        _ = try cluster.psql("""
            CREATE TABLE pois (id serial PRIMARY KEY, name text, geom geometry(Point, 4326));
            INSERT INTO pois (name, geom) SELECT 'p' || i, ST_SetSRID(ST_MakePoint(106.6 + (i % 100) * 0.001, 20.8 + (i / 100) * 0.001), 4326)
              FROM generate_series(0, 9999) AS i;
            """, database: "city")
        let owner = DatabaseConfiguration(name: "city", host: cluster.host, port: cluster.port, user: "postgres", database: "city", tls: .disable)
        let logger = Logger(label: "test")
        let installed = try await ChangeTriggerInstaller.apply(to: PostGISTableName(table: "pois"), geometryColumn: nil, drop: false, database: owner, logger: logger)
        #expect(installed.geometryColumn == "geom")
        // Re-installing replaces.
        _ = try await ChangeTriggerInstaller.apply(to: PostGISTableName(table: "pois"), geometryColumn: nil, drop: false, database: owner, logger: logger)
        #expect(try cluster.psql("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'cairn_changes_%'", database: "city").trimmingCharacters(in: .whitespacesAndNewlines) == "4")

        let heard = Heard()
        let listener = ChangeListener(database: owner, logger: logger) { event in heard.events.withLock { $0.append(event) } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await listener.run() }
            #expect(await Wait.until(timeout: .seconds(20)) { if case .connected = listener.state { true } else { false } })

            _ = try cluster.psql("UPDATE pois SET geom = ST_SetSRID(ST_MakePoint(106.7, 20.9), 4326) WHERE id = 1", database: "city")
            #expect(await Wait.until(timeout: .seconds(10)) { heard.notifications.count == 1 })
            let single = try #require(heard.notifications.first)
            #expect(single.table == PostGISTableName(table: "pois"))
            #expect(single.operation == "UPDATE")
            #expect(single.srid == 4326)
            #expect(Set(single.boxes) == [BoundingBox(minX: 106.6, minY: 20.8, maxX: 106.6, maxY: 20.8), BoundingBox(minX: 106.7, minY: 20.9, maxX: 106.7, maxY: 20.9)])
            #expect(abs(single.statementTime - Date().timeIntervalSince1970) < 60)

            // 10,000 rows in one statement: one notification, one extent.
            _ = try cluster.psql("UPDATE pois SET name = name || '!'", database: "city")
            #expect(await Wait.until(timeout: .seconds(20)) { heard.notifications.count == 2 })
            let bulk = heard.notifications[1]
            #expect(bulk.boxes.count == 1)
            let extent = try #require(bulk.boxes.first)
            #expect(abs(extent.minX - 106.6) < 1e-4 && abs(extent.maxX - 106.7) < 1e-4 && abs(extent.minY - 20.8) < 1e-4 && abs(extent.maxY - 20.9) < 1e-4)

            // Several rows (under the listing limit) in one statement: their boxes, in one notification.
            _ = try cluster.psql("DELETE FROM pois WHERE id IN (2, 3, 4)", database: "city")
            _ = try cluster.psql("INSERT INTO pois (name, geom) VALUES ('new', ST_SetSRID(ST_MakePoint(106.65, 20.85), 4326))", database: "city")
            _ = try cluster.psql("TRUNCATE pois", database: "city")
            #expect(await Wait.until(timeout: .seconds(10)) { heard.notifications.count == 5 })
            let rest = heard.notifications.dropFirst(2).map(\.operation)
            #expect(rest == ["DELETE", "INSERT", "TRUNCATE"])
            #expect(heard.notifications[2].boxes.count == 3)
            #expect(heard.notifications[3].boxes == [BoundingBox(minX: 106.65, minY: 20.85, maxX: 106.65, maxY: 20.85)])
            #expect(heard.notifications[4].wholeTable)

            // Someone else's messages on the channel are reported, not taken for edits.
            _ = try cluster.psql("NOTIFY cairn_changes, 'garbage'", database: "city")
            _ = try cluster.psql(#"NOTIFY cairn_changes, '{"event":"order_created"}'"#, database: "city")
            #expect(await Wait.until(timeout: .seconds(10)) { heard.ignored.count == 2 })
            #expect(heard.notifications.count == 5)

            // The connection killed: made again, and `.resumed` says edits may have been missed.
            _ = try cluster.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'", database: "city")
            #expect(await Wait.until(timeout: .seconds(20)) { heard.resumed == 1 && listener.reconnects == 1 })
            _ = try cluster.psql("INSERT INTO pois (name, geom) VALUES ('after', ST_SetSRID(ST_MakePoint(106.61, 20.81), 4326))", database: "city")
            #expect(await Wait.until(timeout: .seconds(10)) { heard.notifications.count == 6 })
            group.cancelAll()
        }

        let dropped = try await ChangeTriggerInstaller.apply(to: PostGISTableName(table: "pois"), geometryColumn: nil, drop: true, database: owner, logger: logger)
        #expect(dropped.statements.count == 4)
        #expect(try cluster.psql("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'cairn_changes_%'", database: "city").trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }

    @Test func aLongListOfBoxesBecomesTheirExtentUnderTheNotifyLimit() async throws {
        let cluster = try PostgresCluster()
        defer { cluster.shutdown() }
        try cluster.createDatabase("city")
        // 50 rows, 100 boxes (old and new), under the listing limit, but with such long
        // coordinates that listing them would pass PostgreSQL's 8000-byte NOTIFY limit.
        _ = try cluster.psql("""
            CREATE TABLE parcels (id serial PRIMARY KEY, geom geometry(Polygon, 3857));
            INSERT INTO parcels (geom) SELECT ST_SetSRID(ST_MakeEnvelope(-19999999.1234567 + i * 1.0000001, -19999999.1234567,
              -19999989.9876543 + i * 1.0000001, -19999989.9876543), 3857) FROM generate_series(1, 50) AS i;
            """, database: "city")
        let owner = DatabaseConfiguration(name: "city", host: cluster.host, port: cluster.port, user: "postgres", database: "city", tls: .disable)
        _ = try await ChangeTriggerInstaller.apply(to: PostGISTableName(table: "parcels"), geometryColumn: "geom", drop: false, database: owner, logger: Logger(label: "test"))
        let heard = Heard()
        let listener = ChangeListener(database: owner, logger: Logger(label: "test")) { event in heard.events.withLock { $0.append(event) } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await listener.run() }
            #expect(await Wait.until(timeout: .seconds(20)) { if case .connected = listener.state { true } else { false } })
            _ = try cluster.psql("UPDATE parcels SET geom = ST_Translate(geom, 1, 1)", database: "city")
            #expect(await Wait.until(timeout: .seconds(10)) { heard.notifications.count == 1 })
            let notification = try #require(heard.notifications.first)
            #expect(notification.srid == 3857)
            #expect(notification.boxes.count == 1)
            #expect(abs((notification.boxes.first?.minX ?? 0) - (-19999999.1234567 + 1.0000001)) < 4, "PostGIS may round a cached box outwards to float")
            #expect(abs((notification.boxes.first?.maxX ?? 0) - (-19999989.9876543 + 50 * 1.0000001 + 1)) < 4)
            group.cancelAll()
        }
    }
}
