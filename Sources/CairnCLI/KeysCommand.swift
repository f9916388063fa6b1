import CairnConfiguration
import ArgumentParser
import CairnAccess
import CairnCore
import CairnEngine
import Foundation

/// `cairn keys create|list|revoke|sign-embed`: API keys (only hashes stored) and signed embed URLs.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage API keys for internal maps and sign embed URLs.",
        subcommands: [Create.self, List.self, Revoke.self, SignEmbed.self, SignToken.self]
    )

    /// Where the keys file is: `--keys-file`, else `auth.keys_file` of `--config`.
    struct Location: ParsableArguments {
        @Option(help: "The configuration file (its auth.keys_file names the keys file).")
        var config: String?

        @Option(help: "The keys file (instead of --config).")
        var keysFile: String?

        func configuration() throws -> CairnConfiguration? {
            try config.map { try loadConfiguration($0) }
        }

        func keysPath(_ configuration: CairnConfiguration?) throws -> String {
            if let keysFile { return keysFile }
            guard let path = configuration?.auth.keysFile else {
                throw CommandFailure(message: "no keys file: give --keys-file PATH, or --config with auth.keys_file")
            }
            return path
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API key; it is printed once and only its hash is stored.")

        @OptionGroup var location: Location

        @Option(help: "Comma-separated map names the key may use.")
        var maps: String

        @Option(help: "Lifetime, e.g. 90d, 12h, 30m (default: no expiry).")
        var expires: String?

        @Option(help: "Comma-separated browser origins allowed to use the key (CORS), e.g. https://portal.example.")
        var origins: String?

        @Option(help: "A note kept with the key, e.g. the portal's name.")
        var note: String?

        func run() async throws {
            let configuration = try location.configuration()
            let mapNames = maps.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            guard !mapNames.isEmpty, mapNames.allSatisfy(MapConfiguration.isValidName) else {
                throw ValidationError("--maps: expected comma-separated map names")
            }
            if let configuration {
                let known = Set(configuration.maps.map(\.name))
                if let unknown = mapNames.first(where: { !known.contains($0) }) {
                    throw CommandFailure(message: "--maps: no map named \(unknown) in \(location.config ?? "the configuration")")
                }
            }
            let originList = try origins.map(parseOrigins)
            let expiry = try expires.map { Date().addingTimeInterval(try parseDuration($0, option: "--expires")) }
            let path = try location.keysPath(configuration)
            do {
                let made = try KeyFile.create(at: path, maps: mapNames, origins: originList, expires: expiry, note: note)
                print(made.key)
                FileHandle.standardError.write(Data("created key \(made.record.id) for \(mapNames.joined(separator: ","))\(expiry.map { " until " + isoDate($0) } ?? ""); it is shown only now\n".utf8))
            } catch {
                throw CommandFailure(message: error.message)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List key ids, maps, expiry and revocation (never the keys).")

        @OptionGroup var location: Location

        func run() async throws {
            let path = try location.keysPath(try location.configuration())
            let records: [APIKeyRecord]
            do { records = try KeyFile.read(path) } catch { throw CommandFailure(message: error.message) }
            let now = Date()
            print("ID         STATUS   MAPS                 EXPIRES                ORIGINS")
            for record in records {
                let status = record.revoked != nil ? "revoked" : (record.isActive(at: now) ? "active" : "expired")
                let line = [record.id.padding(toLength: 10, withPad: " ", startingAt: 0),
                            status.padding(toLength: 8, withPad: " ", startingAt: 0),
                            record.maps.joined(separator: ",").padding(toLength: 20, withPad: " ", startingAt: 0),
                            (record.expires.map(isoDate) ?? "never").padding(toLength: 22, withPad: " ", startingAt: 0),
                            (record.origins ?? []).joined(separator: ",")].joined(separator: " ")
                print(line)
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by id; a running server stops accepting it within a second.")

        @OptionGroup var location: Location

        @Argument(help: "The key id (as `cairn keys list` shows it).")
        var id: String

        func run() async throws {
            let path = try location.keysPath(try location.configuration())
            do {
                try KeyFile.revoke(at: path, id: id)
                print("revoked \(id)")
            } catch {
                throw CommandFailure(message: error.message)
            }
        }
    }

    struct SignEmbed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sign-embed",
            abstract: "Print a signed, expiring embed URL (/embed/{map}?…&sig=…) for an internal map, for a portal's iframe."
        )

        @Option(help: "The configuration file (its auth.signing names the secret).")
        var config: String

        @Option(help: "The map to embed.")
        var map: String

        @Option(help: "Lifetime, e.g. 1h, 7d (default 1h; at most auth.embed_max_lifetime, 30 days unless configured).")
        var expires: String = "1h"

        @Option(help: "Allowed area west,south,east,north in degrees; tiles outside are refused.")
        var bbox: String?

        @Option(help: "Allowed zoom levels, e.g. 10-16.")
        var zoom: String?

        @Option(help: "Comma-separated origins allowed to frame the page.")
        var origins: String?

        @Option(help: "Initial centre lon,lat.")
        var center: String?

        @Option(help: "Initial zoom level.")
        var viewZoom: Int?

        @Option(help: "A marker at lon,lat.")
        var marker: String?

        @Option(help: "Prefix for the printed URL, e.g. https://tiles.example.")
        var baseURL: String = ""

        func run() async throws {
            let configuration = try loadConfiguration(config)
            guard configuration.maps.contains(where: { $0.name == map }) else {
                throw CommandFailure(message: "--map: no map named \(map) in \(config)")
            }
            let secret: [UInt8]
            do {
                guard let loaded = try configuration.auth.loadSigningSecret(environment: ProcessInfo.processInfo.environment) else {
                    throw CommandFailure(message: "\(config): auth.signing is not configured ({secret_env: NAME} or {secret_file: PATH})")
                }
                secret = loaded
            } catch let error as AccessError {
                throw CommandFailure(message: error.message)
            }
            let lifetime = try parseDuration(expires, option: "--expires")
            var box: BoundingBox?
            if let bbox {
                let v = bbox.split(separator: ",").compactMap { Double($0) }
                guard v.count == 4, v[0] < v[2], v[1] < v[3] else { throw ValidationError("--bbox: expected west,south,east,north") }
                box = BoundingBox(minX: v[0], minY: v[1], maxX: v[2], maxY: v[3])
            }
            let zooms = try zoom.map { try parseZoomRange($0) }
            let signer = URLSigner(secret: secret, maxEmbedLifetime: configuration.auth.embedMaxLifetime)
            let expiry = Date().addingTimeInterval(lifetime)
            do {
                try signer.checkEmbedLifetime(expires: expiry)
            } catch {
                throw ValidationError("--expires: \(error.message)")
            }
            let url = signer.signEmbed(
                map: map, expires: expiry, bbox: box,
                minZoom: zooms?.lowerBound, maxZoom: zooms?.upperBound, origins: try origins.map(parseOrigins) ?? [],
                center: try center.map { try pair($0, "--center") }, zoom: viewZoom, marker: try marker.map { try pair($0, "--marker") })
            print(baseURL + url)
        }

        func pair(_ text: String, _ option: String) throws -> (lon: Double, lat: Double) {
            let v = text.split(separator: ",").compactMap { Double($0) }
            guard v.count == 2 else { throw ValidationError("\(option): expected lon,lat") }
            return (v[0], v[1])
        }
    }
}

/// `cairn keys sign-token`: an HS256 token with a configured shared secret, as a portal backend issues them.
struct SignToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign-token",
        abstract: "Print an HS256 token (JWT) for trying out a single sign-on setup, signed with a configured auth.jwt secret."
    )

    @Option(help: "The configuration file (auth.jwt).")
    var config: String

    @Option(help: "The kid of an HS256 key in auth.jwt.keys.")
    var kid: String

    @Option(help: "Comma-separated map names.")
    var maps: String

    @Option(help: "The token's subject (user), written to the audit log.")
    var subject: String = "cli"

    @Option(help: "Lifetime, e.g. 15m (at most auth.jwt.max_lifetime).")
    var expires: String = "15m"

    @Option(help: "Comma-separated browser origins allowed to use the token.")
    var origins: String?

    func run() async throws {
        let configuration = try loadConfiguration(config)
        guard let jwt = configuration.auth.jwt, let key = jwt.keys.first(where: { $0.kid == kid }) else {
            throw CommandFailure(message: "--kid: \(config) has no auth.jwt key \(kid)")
        }
        let lifetime = try parseDuration(expires, option: "--expires")
        guard lifetime <= Double(jwt.maxLifetime) else {
            throw ValidationError("--expires: at most auth.jwt.max_lifetime (\(jwt.maxLifetime) s)")
        }
        do {
            print(try await TokenIssuer.issue(key: key, audience: jwt.audience, issuer: jwt.issuer, subject: subject,
                                              maps: maps.split(separator: ",").map(String.init), lifetime: lifetime,
                                              origins: try origins.map(parseOrigins)))
        } catch let error as AccessError {
            throw CommandFailure(message: error.message)
        }
    }
}

/// "90d", "12h", "30m", "45s" → seconds.
func parseDuration(_ text: String, option: String) throws -> TimeInterval {
    let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
    guard let unit = text.last, let factor = units[unit], let value = Int(text.dropLast()), value > 0 else {
        throw ValidationError("\(option): expected a number and a unit (s, m, h, d), e.g. 90d, got \"\(text)\"")
    }
    return Double(value) * factor
}

func parseOrigins(_ text: String) throws -> [String] {
    let origins = text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
    guard let bad = origins.first(where: { !WebOrigin.isValid($0) }) else { return origins }
    throw ValidationError("--origins: expected origins such as https://portal.example, got \"\(bad)\"")
}

func isoDate(_ date: Date) -> String {
    ISO8601DateFormatter().string(from: date)
}
