import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs an external program (pg_ctl, psql, ogr2ogr…) to its end.
public enum ExternalProgram {
    /// Runs `executable` with `arguments` and returns its standard output; throws with its standard
    /// error when it fails. posix_spawn and waitpid, not Foundation's Process: Process learns of the
    /// child's exit from a socket the child inherits, and `pg_ctl start` leaves a server holding it,
    /// so Process would wait for the server to stop.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let argv = [executable] + arguments
        let capture = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-run-\(UUID().uuidString)").path
        defer {
            try? FileManager.default.removeItem(atPath: capture + ".out")
            try? FileManager.default.removeItem(atPath: capture + ".err")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, capture + ".out", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, capture + ".err", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var cArguments = argv.map { strdup($0) }
        cArguments.append(nil)
        defer { for argument in cArguments { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, &cArguments, environ)
        guard spawned == 0 else {
            throw ExternalProgramError("cannot run \(executable): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: capture + ".out", encoding: .utf8)) ?? ""
        let exited = (status & 0x7F) == 0
        let code = (status >> 8) & 0xFF
        guard exited && code == 0 else {
            let message = (try? String(contentsOfFile: capture + ".err", encoding: .utf8)) ?? ""
            throw ExternalProgramError("\(URL(fileURLWithPath: executable).lastPathComponent) \(arguments.joined(separator: " ").prefix(300)) exited \(exited ? code : -1): \(message)\(text)")
        }
        return text
    }
}

public struct ExternalProgramError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
