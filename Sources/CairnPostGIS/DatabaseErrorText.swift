import CairnConfiguration
import PostgresNIO

/// Safe, useful words for a database error. postgres-nio's `PSQLError` describes itself vaguely on
/// purpose; the server's message and SQL state, or the network error under it, are what an operator
/// needs, and none of them carries the password.
enum DatabaseErrorText {
    /// SQL states of a connection that cannot be used: connection exceptions (08), invalid
    /// authorization (28), operator intervention such as a shutdown (57P), insufficient resources (53).
    static func isConnectionState(_ state: String) -> Bool {
        state.hasPrefix("08") || state.hasPrefix("28") || state.hasPrefix("57P") || state.hasPrefix("53") || state == "3D000"
    }

    static func sqlState(of error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// Whether the error says the database (not the statement) failed.
    static func isConnectionFailure(_ error: any Error) -> Bool {
        if let error = error as? PostGISError { return error.code == .unavailable }
        if let state = sqlState(of: error) { return isConnectionState(state) }
        return true
    }

    static func describe(_ error: any Error, database: DatabaseConfiguration) -> String {
        if let error = error as? PostGISError { return error.message }
        if let error = error as? DatabaseCredentialError { return error.message }
        if let error = error as? PSQLError {
            if let info = error.serverInfo, let message = info[.message] {
                let state = info[.sqlState] ?? ""
                if state == "28P01" || state == "28000" {
                    return "authentication failed for user \(database.user) at \(database.displayURL) (\(message))"
                }
                return "\(message) (SQLSTATE \(state))"
            }
            if let underlying = error.underlying { return describe(underlying, database: database) }
            return "\(error.code)"
        }
        let text = String(describing: error)
        // The pool gives up on requests while new connections keep failing (its circuit breaker).
        if text.contains("CircuitBreaker") { return "cannot connect to \(database.displayURL)" }
        return text
    }
}
