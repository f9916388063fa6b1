import ArgumentParser
import CairnEngine
import Foundation

@main
struct CairnCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cairn",
        abstract: "Cairn: a map tile server and vector renderer.",
        subcommands: [ServeCommand.self, RenderCommand.self, SeedCommand.self, ExpireCommand.self, ValidateCommand.self, BenchCommand.self, KeysCommand.self, PostGISCommand.self, ClusterCommand.self]
    )

    /// Runs the command, printing every failure as `error: …` on standard error (one prefix per
    /// line, as the README shows them) instead of ArgumentParser's `Error: …`.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            fail(with: error)
        }
    }

    static func fail(with error: any Error) -> Never {
        if let failure = error as? CommandFailure {
            printError(failure.message)
            terminate(failure.status)
        }
        // The engine's message is written for clients; an operator also needs the file and the reason.
        if let error = error as? EngineError, error.code == .cacheFailed {
            printError(error.operatorText)
            terminate(1)
        }
        let code = exitCode(for: error)
        let text = fullMessage(for: error)
        if code == .success {
            if !text.isEmpty { print(text) }
            terminate(code.rawValue)
        }
        if !text.isEmpty {
            printError(text.hasPrefix("Error: ") ? String(text.dropFirst("Error: ".count)) : text, usage: true)
        }
        terminate(code.rawValue)
    }

    /// `error: ` before each line of `message` (a usage text after an argument error is printed as is).
    static func printError(_ message: String, usage: Bool = false) {
        var lines = message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last == "" { lines.removeLast() }
        var text = ""
        var inUsage = false
        for line in lines {
            if usage && (line.hasPrefix("Usage:") || line.hasPrefix("Help:")) { inUsage = true }
            if inUsage || line.isEmpty || line.hasPrefix("error: ") || line.hasPrefix("warning: ") {
                text += line + "\n"
            } else {
                text += "error: " + line + "\n"
            }
        }
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// `exit` from outside `ParsableCommand`, whose static `exit(withError:)` hides it.
private func terminate(_ status: Int32) -> Never {
    exit(status)
}
