import Foundation

/// A PostgreSQL/PostGIS database maps draw from (`databases.NAME:` in the configuration). The
/// password is never part of the URL; it comes from an environment variable, a file, or nowhere
/// (trust authentication).
public struct DatabaseConfiguration: Sendable, Equatable {
    /// How the connection is encrypted, with libpq's meanings: `prefer` and `require` encrypt without
    /// checking the certificate, `verify-full` checks it against `ca_file` (or the system's roots) and
    /// the host name.
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable
        case prefer
        case require
        case verifyFull = "verify-full"
    }

    /// Where the password comes from. Never logged: only the variable's name or the file's path is.
    public enum PasswordSource: Sendable, Equatable {
        case none
        case environment(String)
        case file(String)
    }

    /// The name maps use in `postgis://NAME` style source URLs.
    public var name: String
    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var password: PasswordSource
    /// Connections in the pool (the `LISTEN` connection is one more).
    public var pool: Int
    /// Every statement of Cairn's is cancelled by the server after this long.
    public var statementTimeoutMilliseconds: Int
    public var tls: TLSMode
    /// Absolute path of the CA certificates (PEM) that `verify-full` trusts.
    public var caFile: String?
    /// The primary's URL for `LISTEN` when `url` is a read replica (notifications are not replicated).
    public var listen: Endpoint?

    /// Host, port, user and database of a second server (the primary, for `listen_url`).
    public struct Endpoint: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var user: String
        public var database: String

        public init(host: String, port: Int, user: String, database: String) {
            self.host = host
            self.port = port
            self.user = user
            self.database = database
        }
    }

    public init(name: String, host: String, port: Int = 5432, user: String, database: String, password: PasswordSource = .none,
                pool: Int = 8, statementTimeoutMilliseconds: Int = 5000, tls: TLSMode = .prefer, caFile: String? = nil) {
        self.name = name
        self.host = host
        self.port = port
        self.user = user
        self.database = database
        self.password = password
        self.pool = pool
        self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
        self.tls = tls
        self.caFile = caFile
    }

    /// The URL without any secret, for logs, errors and `/health`.
    public var displayURL: String { "postgresql://\(user)@\(host):\(port)/\(database)" }

    /// Whether `name` is acceptable as a database name in the configuration and in `postgis://NAME`.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 64 else { return false }
        func allowed(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c == 0x2D }
        return (first >= 0x61 && first <= 0x7A) && name.utf8.allSatisfy(allowed)
    }
}

extension DatabaseConfiguration {
    /// The password, read now from its source (the file is read on every call so a rotated secret
    /// is picked up by the next connection). Errors name the variable or file, never a value.
    public func resolvePassword(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        switch password {
        case .none:
            return nil
        case .environment(let variable):
            guard let value = environment[variable], !value.isEmpty else {
                throw DatabaseCredentialError(message: "database \(name): the environment variable \(variable) (password_env) is not set")
            }
            return value
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw DatabaseCredentialError(message: "database \(name): cannot read the password file \(path) (password_file)")
            }
            // One line, as .pgpass-style secret files and Docker/systemd credentials are written.
            let value = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            guard !value.isEmpty else {
                throw DatabaseCredentialError(message: "database \(name): the password file \(path) (password_file) is empty")
            }
            return value
        }
    }
}

/// A database password that cannot be read: says where it was looked for, never what it is.
public struct DatabaseCredentialError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
    public init(message: String) { self.message = message }
}
