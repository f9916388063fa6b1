import Foundation
import CairnConfiguration
import NIOSSL
import PostgresNIO

extension DatabaseConfiguration {
    /// The pooled client's settings: the password read now, TLS as `tls` says, and every session's
    /// `statement_timeout` and `application_name` sent in the startup packet (no extra round trip).
    public func clientConfiguration(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresClient.Configuration {
        try clientConfiguration(host: host, port: port, user: user, database: database, environment: environment)
    }

    /// The same settings for the `LISTEN` connection: the primary's address when `listen_url` names one.
    public func listenConfiguration(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresClient.Configuration {
        guard let listen else { return try clientConfiguration(environment: environment) }
        return try clientConfiguration(host: listen.host, port: listen.port, user: listen.user, database: listen.database, environment: environment)
    }

    /// The same settings as one connection's (`PostgresConnection.connect`), for the `LISTEN` connection
    /// and one-off commands.
    public func connectionConfiguration(forListen: Bool = false,
                                        environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresConnection.Configuration {
        let endpoint = forListen ? (listen ?? Endpoint(host: host, port: port, user: user, database: database))
                                 : Endpoint(host: host, port: port, user: user, database: database)
        var configuration = PostgresConnection.Configuration(
            host: endpoint.host, port: endpoint.port, username: endpoint.user,
            password: try resolvePassword(environment: environment), database: endpoint.database,
            tls: try connectionTLS()
        )
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }

    private func clientConfiguration(host: String, port: Int, user: String, database: String,
                                     environment: [String: String]) throws -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: try resolvePassword(environment: environment),
            database: database, tls: try clientTLS()
        )
        configuration.options.maximumConnections = pool
        configuration.options.minimumConnections = 0
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }

    private var startupParameters: [(String, String)] {
        [("statement_timeout", "\(statementTimeoutMilliseconds)"), ("application_name", "cairn")]
    }

    private func clientTLS() throws -> PostgresClient.Configuration.TLS {
        switch tls {
        case .disable: return .disable
        case .prefer: return .prefer(Self.unverifiedTLS)
        case .require: return .require(Self.unverifiedTLS)
        case .verifyFull: return .require(try verifyingTLS())
        }
    }

    private func connectionTLS() throws -> PostgresConnection.Configuration.TLS {
        switch tls {
        case .disable: return .disable
        case .prefer: return .prefer(try NIOSSLContext(configuration: Self.unverifiedTLS))
        case .require: return .require(try NIOSSLContext(configuration: Self.unverifiedTLS))
        case .verifyFull: return .require(try NIOSSLContext(configuration: verifyingTLS()))
        }
    }

    /// libpq's `prefer`/`require`: encrypted, certificate not checked.
    private static var unverifiedTLS: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        return configuration
    }

    /// libpq's `verify-full`: the chain against `ca_file` (or the system's roots) and the host name.
    private func verifyingTLS() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .fullVerification
        if let caFile {
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
        }
        return configuration
    }
}
