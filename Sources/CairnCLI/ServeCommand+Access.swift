import CairnAccess
import CairnEngine
import CairnServer

extension ServeCommand {
    /// Keys file, JWT keys, signing secret and audit log, checked before the server starts.
    func loadAccessControl(_ configuration: CairnConfiguration) async throws -> AccessControl {
        do {
            return try await AccessControl.load(configuration: configuration)
        } catch {
            throw CommandFailure(message: error.message)
        }
    }
}
