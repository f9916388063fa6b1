import CairnConfiguration
import ArgumentParser
import CairnEngine
import CairnStyle

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a configuration (and every style and data file it names) or one style file."
    )

    @Option(help: "A YAML configuration file.")
    var config: String?

    @Option(help: "A MapLibre style JSON file.")
    var style: String?

    func validate() throws {
        if (config == nil) == (style == nil) { throw ValidationError("give exactly one of --config or --style") }
    }

    func run() async throws {
        let configuration: CairnConfiguration
        if let style {
            configuration = CairnConfiguration(cacheDirectory: "", maps: [MapConfiguration(name: "style", stylePath: style)])
        } else {
            configuration = try loadConfiguration(config)
        }
        let postgis = PostGISValidation(configuration: configuration)
        let names = postgis.databaseNames
        let failed = try await postgis.whileRunning {
            var failed = false
            for map in configuration.maps {
                do {
                    let loaded = try MapLoader.load(map, databases: names, remoteHosts: configuration.remoteHosts)
                    // Other grids reproject the data again and may refuse a source (MBTiles vector tiles render only in WebMercatorQuad).
                    for name in map.grids where name != loaded.grid.identifier {
                        if let grid = configuration.grids[name] { _ = try MapLoader.load(map, grid: grid, databases: names, remoteHosts: configuration.remoteHosts) }
                    }
                    for warning in loaded.style.warnings { print("warning: \(warning)") }
                    for line in try OGRSourceValidation.check(loaded, remoteHosts: configuration.remoteHosts) {
                        print(line.warning ? "warning: \(line.text)" : "ok: \(line.text)")
                    }
                    let features = loaded.layers.values.reduce(0) { $0 + $1.features.count }
                    let tables = loaded.postgisLayers.isEmpty ? "" : ", \(Set(loaded.postgisLayers.values.map(\.table)).count) PostGIS table(s)"
                    var ok = true
                    for line in await postgis.check(loaded) {
                        if line.warning { print("warning: \(line.text)") } else if line.ok { print("ok: \(line.text)") } else { ok = false; CairnCommand.printError(line.text) }
                    }
                    if ok {
                        print("ok: \(map.stylePath): \(loaded.style.layers.count) style layers, \(loaded.layers.count) data layers, \(features) features\(tables)")
                    } else {
                        failed = true
                    }
                } catch {
                    failed = true
                    CairnCommand.printError("\(error)")
                }
            }
            return failed
        }
        if failed { throw ExitCode.failure }
    }
}
