import Foundation
import CairnCore

extension MapController {
    /// `/health` entries for the files an operator edits while the server runs: the keys file
    /// (`"keys"`) and the configuration file (`"configuration"`). One that failed to load is
    /// reported (`"status": "error"`, the file's name; the log has why) until a good one is read, since the server
    /// keeps running on the previous version and nothing else would show the edit was ignored.
    func operatorFiles() -> [(key: String, value: JSONValue, failed: Bool)] {
        guard let access else { return [] }
        var entries: [(key: String, value: JSONValue, failed: Bool)] = []
        let keys = access.verifier.keys
        if let path = keys.path {
            keys.checkForChanges()
            if let problem = keys.problem {
                entries.append(("keys", ["status": "error", "file": JSONValue(Self.publicName(path)), "error": JSONValue(Self.seeTheLog),
                                         "in_force": "the keys read before"], true))
            } else {
                entries.append(("keys", ["status": "ok", "file": JSONValue(Self.publicName(path))], false))
            }
        }
        if let problem = access.configurationProblem {
            entries.append(("configuration", ["status": "error", "file": JSONValue(Self.publicName(problem.file)), "error": JSONValue(Self.seeTheLog),
                                              "in_force": "the configuration read before"], true))
        }
        return entries
    }

    /// `/health` is public: it names the file (not its folder) and leaves the parser's words,
    /// which may quote the file's lines, to the server log.
    static func publicName(_ path: String) -> String { URL(fileURLWithPath: path).lastPathComponent }
    static let seeTheLog = "fails to load; the server log names the line and the reason"
}
