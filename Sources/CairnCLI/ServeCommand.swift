import ArgumentParser
import CairnEngine
import CairnServer
import Foundation
import Hummingbird
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the configured maps over HTTP.")

    @Option(help: "A YAML configuration file (default: the embedded Hai Phong demo).")
    var config: String?

    @Option(help: "Address to listen on (overrides the configuration).")
    var host: String?

    @Option(help: "Port to listen on (overrides the configuration).")
    var port: Int?

    func run() async throws {
        var configuration = try loadConfiguration(config)
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        var logger = Logger(label: "cairn")
        logger.logLevel = .info
        let engine = TileEngine(configuration: configuration, logger: logger)
        let failures = await engine.loadMaps()
        for (name, error) in failures.sorted(by: { $0.key < $1.key }) {
            logger.error("map \(name) is unavailable: \(error)")
        }
        let (mapCount, host, startLogger) = (configuration.maps.count, configuration.host, logger)
        let app = buildApplication(engine: engine, host: configuration.host, port: configuration.port, logger: logger) { port in
            startLogger.info("Cairn is serving \(mapCount) map(s) at http://\(host):\(port)/")
        }
        try await app.runService()
        try await engine.shutdown()
    }
}
