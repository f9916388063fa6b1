import CairnConfiguration
import Foundation
import Logging
import PostgresNIO

/// Installs or removes a table's `ChangeTriggers` over one connection with the table owner's rights
/// (Cairn's serving role is read-only). Names go through `PostGISTableName`/`SQLIdentifier`;
/// values (names looked up in the catalogue) are bound.
public enum ChangeTriggerInstaller {
    /// Connects to `database` (the owner's connection), finds the geometry column and installs the
    /// triggers (or, with `drop`, removes them); returns what was run.
    public static func apply(to table: PostGISTableName, geometryColumn requested: String?, drop: Bool,
                             database: DatabaseConfiguration, logger: Logger) async throws -> (geometryColumn: String?, statements: [String]) {
        let connection = try await PostgresConnection.connect(configuration: try database.connectionConfiguration(), id: 1, logger: logger)
        do {
            let result: (String?, [String])
            if drop {
                let statements = try ChangeTriggers(table: table, geometryColumn: requested ?? "geometry").dropStatements
                try await run(statements, on: connection, logger: logger)
                result = (nil, statements)
            } else {
                let column = try await geometryColumn(of: table, requested: requested, on: connection, logger: logger)
                let statements = try ChangeTriggers(table: table, geometryColumn: column).installStatements
                try await run(statements, on: connection, logger: logger)
                result = (column, statements)
            }
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// The geometry column of `table`: `requested` when given (checked to exist), else the one
    /// `geometry_columns` lists. - Throws: `ChangeTriggerError` naming the table.
    public static func geometryColumn(of table: PostGISTableName, requested: String?, on connection: PostgresConnection,
                                      logger: Logger) async throws -> String {
        let kinds = try await connection.query("""
            SELECT c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = \(table.schema) AND c.relname = \(table.table)
            """, logger: logger)
        var kind: String?
        for try await value in kinds.decode(String.self) { kind = value }
        guard let kind else { throw ChangeTriggerError(message: "table \(table): not found in the database") }
        guard kind == "r" || kind == "p" else {
            throw ChangeTriggerError(message: "\(table) is not a table (a view or other relation): install the triggers on the tables it reads")
        }
        let rows = try await connection.query("""
            SELECT f_geometry_column::text FROM geometry_columns
            WHERE f_table_schema = \(table.schema) AND f_table_name = \(table.table) ORDER BY 1
            """, logger: logger)
        var columns: [String] = []
        for try await column in rows.decode(String.self) { columns.append(column) }
        if let requested {
            guard columns.contains(requested) else {
                throw ChangeTriggerError(message: "table \(table): no geometry column \"\(requested)\" (geometry columns: \(columns.isEmpty ? "none" : columns.joined(separator: ", ")))")
            }
            return requested
        }
        switch columns.count {
        case 1: return columns[0]
        case 0: throw ChangeTriggerError(message: "table \(table): no geometry column in geometry_columns")
        default: throw ChangeTriggerError(message: "table \(table) has several geometry columns (\(columns.joined(separator: ", "))): choose one with --geometry-column")
        }
    }

    /// Runs `statements` in one transaction (all or nothing).
    public static func run(_ statements: [String], on connection: PostgresConnection, logger: Logger) async throws {
        _ = try await connection.query("BEGIN", logger: logger)
        do {
            for statement in statements {
                _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            _ = try await connection.query("COMMIT", logger: logger)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    /// A PostgreSQL error as an operator reads it: the server's message and SQLSTATE (postgres-nio's
    /// own description hides both), never a password.
    public static func describe(_ error: any Error) -> String { ChangeListener.describe(error) }
}

extension DatabaseConfiguration {
    /// The same database reached as another role (the table owner, for installing triggers):
    /// `url` is `postgresql://USER@HOST[:PORT]/DATABASE` without a password, which comes from the
    /// environment variable `passwordVariable` (or nowhere: trust or peer authentication).
    /// - Throws: `ChangeTriggerError` saying what was expected (never repeating a password).
    public func owner(url: String, passwordVariable: String?) throws -> DatabaseConfiguration {
        let expected = "expected postgresql://USER@HOST:PORT/DATABASE"
        guard let components = URLComponents(string: url), let scheme = components.scheme,
              ["postgresql", "postgres"].contains(scheme.lowercased()) else {
            throw ChangeTriggerError(message: "--owner-url: \(expected)")
        }
        guard components.password == nil else {
            throw ChangeTriggerError(message: "--owner-url holds a password; never put one on the command line: give --owner-password-env VARIABLE")
        }
        guard let user = components.user, !user.isEmpty, let host = components.host, !host.isEmpty else {
            throw ChangeTriggerError(message: "--owner-url: \(expected) (the user or the host is missing)")
        }
        let name = String(components.path.drop { $0 == "/" })
        guard !name.isEmpty, components.query == nil, (1...65535).contains(components.port ?? 5432) else {
            throw ChangeTriggerError(message: "--owner-url: \(expected) (a database name, no query string, a port from 1 to 65535)")
        }
        var owner = self
        owner.host = host.removingPercentEncoding ?? host
        owner.port = components.port ?? 5432
        owner.user = user.removingPercentEncoding ?? user
        owner.database = name.removingPercentEncoding ?? name
        owner.password = passwordVariable.map(PasswordSource.environment) ?? .none
        owner.listen = nil
        return owner
    }
}
