import CairnConfiguration
import Foundation
import Testing

/// `databases:` is read with errors naming the line and key, and never repeats a password.
struct DatabaseConfigurationTests {
    /// Parses `yaml` as a file in a fresh folder holding the style it names.
    private func parse(_ yaml: String) throws -> CairnConfiguration {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-db-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try #"{"version": 8, "sources": {}, "layers": []}"#.write(toFile: folder + "/city.json", atomically: true, encoding: .utf8)
        do {
            return try CairnConfiguration.parse(yaml: yaml, path: folder + "/cairn.yaml")
        } catch let error as ConfigurationErrors {
            // Reported as if the file were /etc/cairn/cairn.yaml, so expectations read plainly.
            throw ConfigurationErrors(problems: error.problems.map {
                ConfigurationError(file: "/etc/cairn/cairn.yaml", line: $0.line, keyPath: $0.keyPath,
                                   message: $0.message.replacingOccurrences(of: folder, with: "/etc/cairn"))
            })
        }
    }

    private let maps = """
        maps:
          - name: city
            style: city.json

        """

    @Test func readsEveryKey() throws {
        let configuration = try parse("""
            databases:
              city:
                url: postgresql://cairn@db.example:6543/haiphong
                password_env: CAIRN_DB_PASSWORD
                pool: 4
                statement_timeout_ms: 2500
                tls: verify-full
                ca_file: certs/ca.pem
                listen_url: postgresql://cairn@primary.example/haiphong
            \(maps)
            """)
        let city = try #require(configuration.databases["city"])
        #expect(city.host == "db.example")
        #expect(city.port == 6543)
        #expect(city.user == "cairn")
        #expect(city.database == "haiphong")
        #expect(city.password == .environment("CAIRN_DB_PASSWORD"))
        #expect(city.pool == 4)
        #expect(city.statementTimeoutMilliseconds == 2500)
        #expect(city.tls == .verifyFull)
        #expect(city.caFile?.hasSuffix("/certs/ca.pem") == true)
        #expect(city.listen == .init(host: "primary.example", port: 5432, user: "cairn", database: "haiphong"))
        #expect(city.displayURL == "postgresql://cairn@db.example:6543/haiphong")
    }

    @Test func aPasswordInTheURLIsRefusedWithoutRepeatingIt() throws {
        let error = try #require(throws: ConfigurationErrors.self) {
            try parse("""
                databases:
                  city:
                    url: postgresql://cairn:hunter2@db.example/haiphong
                \(maps)
                """)
        }
        #expect(error.description.contains("cairn.yaml:3: databases.city.url: the URL holds a password"))
        #expect(!error.description.contains("hunter2"))
    }

    @Test func badValuesNameTheLineAndKey() throws {
        let error = try #require(throws: ConfigurationErrors.self) {
            try parse("""
                databases:
                  city:
                    url: mysql://cairn@db/x
                    pool: lots
                    tls: maybe
                    colour: blue
                  Bad Name:
                    url: postgresql://a@b/c
                \(maps)
                """)
        }
        let text = error.description
        #expect(text.contains("cairn.yaml:3: databases.city.url: expected postgresql://USER@HOST:PORT/DATABASE"))
        #expect(text.contains("databases.city.colour: unknown key"))
        #expect(text.contains("Bad Name"))
    }

    @Test func thePasswordFileIsReadAtConnectionTime() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-pw-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "first\n".write(toFile: file, atomically: true, encoding: .utf8)
        let database = DatabaseConfiguration(name: "city", host: "h", user: "u", database: "d", password: .file(file))
        #expect(try database.resolvePassword() == "first")
        try "rotated\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try database.resolvePassword() == "rotated")
        let missing = DatabaseConfiguration(name: "city", host: "h", user: "u", database: "d", password: .environment("CAIRN_NOT_SET_ANYWHERE"))
        let error = try #require(throws: DatabaseCredentialError.self) { try missing.resolvePassword(environment: [:]) }
        #expect(error.description.contains("CAIRN_NOT_SET_ANYWHERE"))
    }
}
