import CairnConfiguration
import NIOCore

/// What one listener allows a connection: how many may be open at once and how long a client
/// may take to send a request head, stay idle between requests, or leave its response unread.
public struct ConnectionPolicy: Sendable {
    public var gate: ConnectionGate
    public var headTimeout: TimeAmount
    public var idleTimeout: TimeAmount
    public var writeTimeout: TimeAmount
    /// The admin listener's cap: a handful of operators and scripts.
    public static let adminMaxConnections = 32

    /// Sent in the `Retry-After` of the 503 a connection over the cap gets.
    public var retryAfterSeconds = 5

    public init(maxConnections: Int, headTimeout: TimeAmount = .seconds(10), idleTimeout: TimeAmount = .seconds(60),
                writeTimeout: TimeAmount = .seconds(30)) {
        gate = ConnectionGate(capacity: maxConnections)
        self.headTimeout = headTimeout
        self.idleTimeout = idleTimeout
        self.writeTimeout = writeTimeout
    }

    /// The configured timeouts with the given cap.
    public init(limits: LimitsConfiguration, maxConnections: Int) {
        self.init(maxConnections: maxConnections,
                  headTimeout: .milliseconds(Int64(limits.headTimeoutMilliseconds)),
                  idleTimeout: .milliseconds(Int64(limits.idleTimeoutMilliseconds)),
                  writeTimeout: .milliseconds(Int64(limits.writeTimeoutMilliseconds)))
    }
}
