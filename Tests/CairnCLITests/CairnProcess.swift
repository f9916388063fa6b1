import Foundation

/// The built `cairn` run as a user runs it, for the README and error-message tests.
enum CairnProcess {

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `.build/debug/cairn` (what `swift build --build-tests` makes), else `.build/release/cairn`.
    static var binary: String {
        for configuration in ["debug", "release"] {
            let path = repositoryRoot.appendingPathComponent(".build/\(configuration)/cairn").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return repositoryRoot.appendingPathComponent(".build/debug/cairn").path
    }

    struct Run { var status: Int32; var output: String; var lines: [String] { output.split(separator: "\n").map(String.init) } }

    /// Runs `executable` to completion in `folder` with the built `cairn` first on PATH and no
    /// Cairn secrets in the environment; standard output and error together.
    static func run(_ executable: String, _ arguments: [String], in folder: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
        var environment = ProcessInfo.processInfo.environment
        let binaryFolder = URL(fileURLWithPath: binary).deletingLastPathComponent().path
        environment["PATH"] = binaryFolder + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        for name in ["CAIRN_ADMIN_TOKEN", "CAIRN_EMBED_SECRET", "CAIRN_PORTAL_SECRET", "CAIRN_MAPLIBRE_DIR"] { environment[name] = nil }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    static func cairn(_ arguments: [String], in folder: String? = nil) throws -> Run {
        try run(binary, arguments, in: folder)
    }

    static func temporaryFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }
}
