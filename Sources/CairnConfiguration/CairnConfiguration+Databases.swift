import Foundation
import Yams

extension ConfigurationReader {
    static let databaseKeys: Set<String> = ["url", "password_env", "password_file", "pool", "statement_timeout_ms", "tls", "ca_file", "listen_url"]

    /// Reads `databases:`, a mapping of names to connection settings.
    mutating func readDatabases(_ node: Node, baseDirectory: String) -> [String: DatabaseConfiguration] {
        guard let mapping = node.mapping else {
            problem(node, "databases", "expected a mapping of database names to settings with `url`")
            return [:]
        }
        var result: [String: DatabaseConfiguration] = [:]
        for (key, value) in mapping {
            guard let name = key.string, DatabaseConfiguration.isValidName(name) else {
                problem(key, "databases", "expected a database name of lowercase letters, digits, '_' and '-' starting with a letter, got \(describe(key))")
                continue
            }
            if let database = readDatabase(value, name: name, baseDirectory: baseDirectory) { result[name] = database }
        }
        return result
    }

    private mutating func readDatabase(_ node: Node, name: String, baseDirectory: String) -> DatabaseConfiguration? {
        let path = "databases.\(name)"
        guard let mapping = node.mapping else {
            problem(node, path, "expected a mapping with `url`")
            return nil
        }
        checkKeys(mapping, allowed: Self.databaseKeys, at: path)
        guard let urlNode = mapping["url"] else {
            problem(node, path + ".url", "missing; expected postgresql://USER@HOST:PORT/DATABASE")
            return nil
        }
        guard let endpoint = readEndpoint(urlNode, at: path + ".url") else { return nil }
        var database = DatabaseConfiguration(name: name, host: endpoint.host, port: endpoint.port, user: endpoint.user, database: endpoint.database)
        if let listen = mapping["listen_url"] {
            database.listen = readEndpoint(listen, at: path + ".listen_url")
        }
        let passwordEnv = mapping["password_env"]
        let passwordFile = mapping["password_file"]
        if passwordEnv != nil, passwordFile != nil {
            problem(passwordFile, path + ".password_file", "expected either password_env or password_file, not both")
        } else if let passwordEnv {
            if let variable = passwordEnv.string, !variable.isEmpty, variable.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
                database.password = .environment(variable)
            } else {
                problem(passwordEnv, path + ".password_env", "expected the name of an environment variable, such as CAIRN_DB_PASSWORD")
            }
        } else if let passwordFile {
            if let file = passwordFile.string, !file.isEmpty {
                database.password = .file(resolve(file, against: baseDirectory))
            } else {
                problem(passwordFile, path + ".password_file", "expected the path of a file holding the password")
            }
        }
        if let pool = mapping["pool"] {
            if let value = pool.int, (1...1000).contains(value) { database.pool = value }
            else { problem(pool, path + ".pool", "expected an integer from 1 to 1000 (connections), got \(describe(pool))") }
        }
        if let timeout = mapping["statement_timeout_ms"] {
            if let value = timeout.int, (10...3_600_000).contains(value) { database.statementTimeoutMilliseconds = value }
            else { problem(timeout, path + ".statement_timeout_ms", "expected an integer from 10 to 3600000, got \(describe(timeout))") }
        }
        if let tls = mapping["tls"] {
            if let value = tls.string.flatMap(DatabaseConfiguration.TLSMode.init(rawValue:)) { database.tls = value }
            else { problem(tls, path + ".tls", "expected one of disable, prefer, require, verify-full, got \(describe(tls))") }
        }
        if let ca = mapping["ca_file"] {
            if let file = ca.string, !file.isEmpty { database.caFile = resolve(file, against: baseDirectory) }
            else { problem(ca, path + ".ca_file", "expected the path of a PEM file of CA certificates") }
            if database.tls != .verifyFull { problem(ca, path + ".ca_file", "only used with tls: verify-full") }
        }
        return database
    }

    /// `postgresql://USER@HOST[:PORT]/DATABASE` (or `postgres://`), with no password and no query.
    private mutating func readEndpoint(_ node: Node, at path: String) -> DatabaseConfiguration.Endpoint? {
        let expected = "expected postgresql://USER@HOST:PORT/DATABASE"
        guard let text = node.string, let components = URLComponents(string: text),
              let scheme = components.scheme, ["postgresql", "postgres"].contains(scheme.lowercased()) else {
            problem(node, path, "\(expected), got \(node.string.map { "\"\(Self.withoutPassword($0))\"" } ?? describe(node))")
            return nil
        }
        if components.password != nil {
            // The value is not repeated: it holds a secret.
            problem(node, path, "the URL holds a password; never put one in the URL: use password_env or password_file")
            return nil
        }
        guard let user = components.user, !user.isEmpty else {
            problem(node, path, "\(expected): the user is missing (USER@)")
            return nil
        }
        guard let host = components.host, !host.isEmpty else {
            problem(node, path, "\(expected): the host is missing")
            return nil
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            problem(node, path, "\(expected): the database name is missing")
            return nil
        }
        if components.query != nil || components.fragment != nil {
            problem(node, path, "\(expected): no query string; TLS and the password have their own keys (tls, ca_file, password_env, password_file)")
            return nil
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else {
            problem(node, path, "\(expected): the port must be from 1 to 65535")
            return nil
        }
        return .init(host: host.removingPercentEncoding ?? host, port: port, user: user.removingPercentEncoding ?? user,
                     database: database.removingPercentEncoding ?? database)
    }

    /// A URL as it may be repeated in an error: any password replaced.
    static func withoutPassword(_ text: String) -> String {
        guard let components = URLComponents(string: text), components.password != nil else { return text }
        var redacted = components
        redacted.password = "***"
        return redacted.string ?? "(a URL with a password)"
    }
}
