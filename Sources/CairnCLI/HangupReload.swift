import CairnAccess
import CairnConfiguration
import CairnEngine
import CairnServer
import Logging
import ServiceLifecycle
import UnixSignals

/// SIGHUP reloads instead of ending the server (the default action of SIGHUP, exit 129):
/// the keys file is re-read, the configuration file (when the server was started from one)
/// is re-read for the maps' access classes and embed origins, and every map's sources and
/// style are checked again. Whatever fails to load is logged at error level with its file and
/// reason and reported in `/health`; what was in force stays in force.
struct HangupReload: Service {
    let signals: UnixSignalsSequence
    let engine: TileEngine
    let access: AccessControl
    let configurationFile: String?
    let logger: Logger

    /// Traps SIGHUP at once, so one sent while the listeners start does not end the process.
    init(engine: TileEngine, access: AccessControl, configurationFile: String?, logger: Logger) async {
        signals = await UnixSignalsSequence(trapping: .sighup)
        self.engine = engine
        self.access = access
        self.configurationFile = configurationFile
        self.logger = logger
    }

    func run() async throws {
        for await _ in signals.cancelOnGracefulShutdown() {
            await reload()
        }
    }

    func reload() async {
        logger.info("SIGHUP: reloading the keys file, the configuration file and the maps")
        var summary: [String] = []
        if let path = access.verifier.keys.path {
            switch access.verifier.keys.reloadNow() {
            case .success(let count): summary.append("keys file \(path): \(count) key(s)")
            case .failure: summary.append("keys file \(path): refused, previous keys kept")
            }
        }
        if let configurationFile {
            do {
                access.updateMaps(from: try CairnConfiguration.load(path: configurationFile))
                summary.append("configuration \(configurationFile): maps' access and embed origins re-read (listeners, limits and new maps need a restart)")
            } catch {
                access.configurationRejected(file: configurationFile, error: String(describing: error))
                logger.error("configuration file \(configurationFile) fails to load; the running configuration stays in force until a good file is read: \(error)")
                summary.append("configuration \(configurationFile): refused, running configuration kept")
            }
        }
        let failures = await engine.reloadMaps()
        for (name, error) in failures.sorted(by: { $0.key < $1.key }) {
            logger.error("SIGHUP: map \(name) fails to reload, its last good version stays in service: \(error)")
        }
        summary.append("maps: \(engine.mapNames.count - failures.count) reloaded, \(failures.count) failed")
        logger.info("SIGHUP reload done: \(summary.joined(separator: "; "))")
    }
}

extension KeyStore {
    /// Logs every re-read of the keys file: a refused one at error level, naming the file and
    /// the reason and saying that the previous keys stay in force.
    func logReloads(to logger: Logger) {
        onReload { path, outcome in
            switch outcome {
            case .success(let count):
                logger.info("keys file \(path) re-read: \(count) key(s) in force")
            case .failure(let error):
                logger.error("keys file \(path) fails to load; the keys read before stay in force (a revocation in it has NOT taken effect) until the file is fixed: \(error.message)")
            }
        }
    }
}
