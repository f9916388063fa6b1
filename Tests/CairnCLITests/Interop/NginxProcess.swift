import CairnTestSupport
import Foundation

/// nginx started by a test from `folder/nginx.conf` (prefix `folder`, errors in `folder/error.log`),
/// once `isReady` says it answers; the error log is the message when it does not start in 10 s.
enum NginxProcess {
    static func start(_ nginx: String, folder: String, port: Int, isReady: @escaping @Sendable () -> Bool) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: nginx)
        process.arguments = ["-p", folder, "-c", folder + "/nginx.conf", "-e", folder + "/error.log"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        if Wait.untilBlocking(timeout: .seconds(10), interval: .milliseconds(50), {
            !process.isRunning || (Wait.portAccepts(port) && isReady())
        }), process.isRunning {
            return process
        }
        stop(process)
        throw InteropError("nginx did not start: " + ((try? String(contentsOfFile: folder + "/error.log", encoding: .utf8)) ?? ""))
    }

    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
