import Foundation

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
