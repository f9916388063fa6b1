import ArgumentParser
import CairnConfiguration
import CairnPostGIS
import Foundation
import Logging

struct PostGISCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postgis", abstract: "PostGIS helpers: triggers that tell Cairn about edits.",
        subcommands: [InstallTriggers.self]
    )

    struct InstallTriggers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "install-triggers",
            abstract: "Install (or print, or --drop) the triggers that NOTIFY \(ChangeNotification.channel) when a table is edited.",
            discussion: """
            One notification per statement (INSERT, UPDATE, DELETE; TRUNCATE means the whole table), carrying \
            the table, its SRID, the statement's time and the boxes of the old and new geometries. Installing \
            needs the table owner's rights, which Cairn's read-only role lacks: give the owner's connection with \
            --owner-url (no password in it) and its password in the environment variable named by \
            --owner-password-env. Re-running replaces the triggers.
            """
        )

        @Option(help: "The YAML configuration file.")
        var config: String

        @Option(help: "The database's name under `databases:` in the configuration.")
        var database: String

        @Option(help: "The table, as schema.table (or table, in public).")
        var table: String

        @Option(help: "The geometry column (default: the table's only one in geometry_columns).")
        var geometryColumn: String?

        @Option(help: "The owner's connection, postgresql://OWNER@HOST:PORT/DATABASE, never with a password (default: the configured database's URL and password).")
        var ownerURL: String?

        @Option(help: "The environment variable holding the owner's password (with --owner-url; default: none, trust or peer authentication).")
        var ownerPasswordEnv: String?

        @Flag(help: "Print the SQL instead of running it (for a DBA to run with psql).")
        var print = false

        @Flag(help: "Remove the table's triggers.")
        var drop = false

        func validate() throws {
            if ownerPasswordEnv != nil && ownerURL == nil { throw ValidationError("--owner-password-env needs --owner-url") }
        }

        func run() async throws {
            guard let tableName = PostGISTableName(parsing: table) else {
                throw CommandFailure(message: "--table: expected schema.table or table (names of 1 to 63 bytes), got \"\(table)\"")
            }
            if print {
                do {
                    let triggers = try ChangeTriggers(table: tableName, geometryColumn: geometryColumn ?? "geometry")
                    Swift.print(ChangeTriggers.script(drop ? triggers.dropStatements : triggers.installStatements), terminator: "")
                } catch let error as ChangeTriggerError {
                    throw CommandFailure(message: error.message)
                }
                return
            }
            let configuration = try loadConfiguration(config)
            guard var target = configuration.databases[database] else {
                let known = configuration.databases.keys.sorted()
                throw CommandFailure(message: "--database: \(config) has no database \"\(database)\" under `databases:` (it has: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
            }
            var logger = Logger(label: "cairn")
            logger.logLevel = .warning
            do {
                if let ownerURL { target = try target.owner(url: ownerURL, passwordVariable: ownerPasswordEnv) }
                let result = try await ChangeTriggerInstaller.apply(to: tableName, geometryColumn: geometryColumn, drop: drop, database: target, logger: logger)
                if drop {
                    Swift.print("removed Cairn's triggers from \(tableName) (\(target.displayURL))")
                } else {
                    Swift.print("installed Cairn's triggers on \(tableName) (geometry column \(result.geometryColumn ?? "?"), \(target.displayURL)): edits notify \(ChangeNotification.channel)")
                }
            } catch let error as ChangeTriggerError {
                throw CommandFailure(message: error.message)
            } catch let error as DatabaseCredentialError {
                throw CommandFailure(message: error.message)
            } catch {
                throw CommandFailure(message: "\(target.displayURL): \(ChangeTriggerInstaller.describe(error))")
            }
        }
    }
}
