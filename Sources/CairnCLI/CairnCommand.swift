import ArgumentParser

@main
struct CairnCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cairn",
        abstract: "Cairn: a map tile server and vector renderer.",
        subcommands: [ServeCommand.self, RenderCommand.self, SeedCommand.self, ExpireCommand.self, ValidateCommand.self, BenchCommand.self, KeysCommand.self]
    )
}
