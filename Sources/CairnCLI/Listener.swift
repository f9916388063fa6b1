import Foundation
import NIOCore
import ServiceLifecycle

/// A listener (the public or the admin HTTP server) whose start-up failure names its address:
/// `cannot listen on 127.0.0.1:8080: address already in use` rather than NIO's
/// `bind(descriptor:ptr:bytes:): Address already in use (errno: 98)`.
struct Listener: Service {
    let service: any Service
    let host: String
    let port: Int
    /// "the admin API" for the admin listener, nil for the public one.
    var role: String?

    func run() async throws {
        do {
            try await service.run()
        } catch let error as IOError {
            throw CommandFailure(message: Self.message(error, host: host, port: port, role: role))
        }
    }

    static func message(_ error: IOError, host: String, port: Int, role: String? = nil) -> String {
        var reason = String(cString: strerror(error.errnoCode))
        if let first = reason.first { reason = first.lowercased() + reason.dropFirst() }
        let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        var hint = ""
        switch error.errnoCode {
        case EADDRINUSE: hint = "; another program (or another cairn) uses that port: stop it or choose another with --\(role == nil ? "" : "admin-")port"
        case EACCES where port < 1024: hint = "; ports below 1024 need privileges: choose one above 1023 with --\(role == nil ? "" : "admin-")port"
        case EADDRNOTAVAIL: hint = "; that address is not one of this machine's: check --\(role == nil ? "" : "admin-")host"
        default: break
        }
        return "cannot listen on \(address)\(role.map { " (\($0))" } ?? ""): \(reason)\(hint)"
    }
}
