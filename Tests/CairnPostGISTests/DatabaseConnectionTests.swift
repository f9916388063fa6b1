import CairnConfiguration
import CairnPostGIS
import CairnTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

/// The configured settings reach a real PostgreSQL server: password from the environment, the
/// statement timeout in the session, TLS off, PostGIS answering.
@Suite(.interop, .serialized)
struct DatabaseConnectionTests {
    @Test func connectsWithThePasswordFromTheEnvironmentAndTheStatementTimeout() async throws {
        let cluster = try PostgresCluster()
        defer { cluster.shutdown() }
        try cluster.createDatabase("city")
        try cluster.createRole("cairn", password: "s3cret pass'word", readOnlyOn: "city")
        let database = DatabaseConfiguration(name: "city", host: cluster.host, port: cluster.port, user: "cairn", database: "city",
                                             password: .environment("CAIRN_TEST_DB_PASSWORD"), pool: 2, statementTimeoutMilliseconds: 1234, tls: .prefer)
        let configuration = try database.clientConfiguration(environment: ["CAIRN_TEST_DB_PASSWORD": "s3cret pass'word"])
        let client = PostgresClient(configuration: configuration, backgroundLogger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            let rows = try await client.query("SELECT current_setting('statement_timeout'), postgis_lib_version(), current_user")
            var seen: [(String, String, String)] = []
            for try await (timeout, version, user) in rows.decode((String, String, String).self) { seen.append((timeout, version, user)) }
            #expect(seen.count == 1)
            #expect(seen.first?.0 == "1234ms")
            #expect(seen.first?.2 == "cairn")
            #expect(seen.first?.1.isEmpty == false)
            group.cancelAll()
        }
    }

    @Test func aWrongPasswordIsRefusedByTheServer() async throws {
        let cluster = try PostgresCluster()
        defer { cluster.shutdown() }
        try cluster.createDatabase("city")
        try cluster.createRole("cairn", password: "right", readOnlyOn: "city")
        let database = DatabaseConfiguration(name: "city", host: cluster.host, port: cluster.port, user: "cairn", database: "city",
                                             password: .environment("PW"), pool: 1, tls: .disable)
        let connection = try database.connectionConfiguration(environment: ["PW": "wrong"])
        await #expect(throws: (any Error).self) {
            let opened = try await PostgresConnection.connect(configuration: connection, id: 1, logger: Logger(label: "test"))
            try await opened.close()
        }
    }
}
