import Foundation
import CairnTestSupport

/// Runs a program to completion; returns its exit status and standard output.
func runProgram(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// The HTTP status of a GET with curl (0 when the connection fails); the body goes to `output`.
func curlStatus(_ url: String, output: String = "/dev/null") -> Int {
    let result = try? runProgram("/usr/bin/curl", ["-s", "-o", output, "-w", "%{http_code}", "--max-time", "20", url])
    return Int(result?.output ?? "") ?? 0
}

/// A `cairn serve` process on 127.0.0.1 with a one-map configuration in `folder`, started and
/// answering `/health`; its output goes to `folder/server.log`. `arguments` are added to `serve`'s.
func startServer(folder: String, port: Int, mapLines: String, preamble: String = "", arguments: [String] = []) async throws -> Process {
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let config = folder + "/cairn.yaml"
    let text = "listen: {host: 127.0.0.1, port: \(port)}\ncache: {directory: cache}\n" + preamble + "maps:\n" + mapLines
    try text.write(toFile: config, atomically: true, encoding: .utf8)
    let log = folder + "/server.log"
    _ = FileManager.default.createFile(atPath: log, contents: nil)
    let server = Process()
    server.executableURL = URL(fileURLWithPath: CommandLineTests.binary)
    server.arguments = ["serve", "--config", config] + arguments
    server.standardOutput = FileHandle(forWritingAtPath: log)
    server.standardError = server.standardOutput
    try server.run()
    if await Wait.until(timeout: .seconds(30), interval: .milliseconds(50), {
        server.isRunning && Wait.portAccepts(port) && curlStatus("http://127.0.0.1:\(port)/health") == 200
    }) {
        return server
    }
    server.terminate()
    throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "cairn serve did not start: " + ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")])
}
