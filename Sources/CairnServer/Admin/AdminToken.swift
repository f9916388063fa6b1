import Foundation

/// Where the admin API's bearer token comes from, and what makes it acceptable: it is read
/// from the environment or a file, never from the command line (process lists show
/// arguments), and must be at least `minimumLength` visible ASCII characters.
public enum AdminToken {
    public static let environmentVariable = "CAIRN_ADMIN_TOKEN"
    public static let minimumLength = 16

    /// The token from `file` if given (surrounding whitespace and the final newline dropped),
    /// else from `CAIRN_ADMIN_TOKEN`; `nil` when neither is set.
    /// - Throws: `AdminTokenError` for an unreadable file or an unacceptable token. Messages
    ///   never contain the token.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment, file: String? = nil) throws -> String? {
        let token: String
        let origin: String
        if let file {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                throw AdminTokenError(message: "admin token file \(file): cannot be read as UTF-8 text")
            }
            token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            origin = "admin token file \(file)"
        } else if let value = environment[environmentVariable] {
            token = value.trimmingCharacters(in: .whitespacesAndNewlines)
            origin = environmentVariable
        } else {
            return nil
        }
        try validate(token, origin: origin)
        return token
    }

    /// - Throws: `AdminTokenError` unless `token` has at least `minimumLength` characters,
    ///   all visible ASCII (so it fits an `Authorization` header unchanged).
    public static func validate(_ token: String, origin: String = "the admin token") throws {
        guard token.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) else {
            throw AdminTokenError(message: "\(origin): the token must be visible ASCII characters without spaces")
        }
        guard token.utf8.count >= minimumLength else {
            throw AdminTokenError(message: "\(origin): the token must be at least \(minimumLength) characters long (got \(token.utf8.count)); e.g. `openssl rand -hex 32`")
        }
    }
}

/// An unusable admin token; the message names where it came from, never its value.
public struct AdminTokenError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
