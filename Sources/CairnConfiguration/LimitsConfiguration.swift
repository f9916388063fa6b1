import Yams

/// The `limits:` section: rate limits, request size caps and per-render budgets. Every value
/// has a default, so a configuration without the section is protected too.
public struct LimitsConfiguration: Sendable, Equatable {
    /// A token bucket pair: every request takes from `requests`, a cache miss that needs a render
    /// also takes from the tighter `renders`. A rate of 0 switches that bucket off.
    public struct Rate: Sendable, Equatable {
        public var requestsPerSecond: Double
        public var burst: Double
        public var rendersPerSecond: Double
        public var renderBurst: Double

        public init(requestsPerSecond: Double, burst: Double, rendersPerSecond: Double, renderBurst: Double) {
            self.requestsPerSecond = requestsPerSecond
            self.burst = burst
            self.rendersPerSecond = rendersPerSecond
            self.renderBurst = renderBurst
        }
    }

    /// Anonymous clients, by socket peer address (or the forwarded address from a trusted proxy).
    public var perIP = Rate(requestsPerSecond: 100, burst: 200, rendersPerSecond: 10, renderBurst: 40)
    /// Clients identified by a verified API key or token.
    public var perKey = Rate(requestsPerSecond: 200, burst: 400, rendersPerSecond: 20, renderBurst: 80)
    /// Peers whose `X-Forwarded-For` is believed (addresses or IPv4 CIDR blocks); empty: nobody's.
    public var trustedProxies: [String] = []

    /// Per metatile render: wall-clock budget, features drawn and vertices drawn.
    public var renderTimeoutMilliseconds = 10_000
    public var renderMaxFeatures = 500_000
    public var renderMaxVertices = 5_000_000
    /// Metatile renders queued or running at once; more get a fast 503.
    public var renderQueue = 64

    /// Request caps (431 for headers, 414 for the target, 400 for the query's shape).
    public var maxHeaderBytes = 16 * 1024
    public var maxHeaders = 64
    public var maxPathBytes = 1024
    public var maxQueryBytes = 2048
    public var maxQueryParameters = 16

    /// Tiles one `POST /admin/seed` may cover (all its zooms together); larger requests are
    /// refused (413) with the count, so a typo cannot queue the world at z20. `cairn seed` has no cap.
    public var maxSeedTiles = 10_000_000

    // MARK: Connections and time (issue 11 item 5)

    /// Open connections on the public listener; more get a fast 503 and are closed. `nil`: derived
    /// from the open-file limit at start (see `ConnectionBudget` in CairnServer).
    public var maxConnections: Int?
    /// A client must send a complete request head within this time of connecting (or of its
    /// first byte after an idle keep-alive pause); else it is closed.
    public var headTimeoutMilliseconds = 10_000
    /// An idle keep-alive connection (public or admin listener) is closed after this time.
    public var idleTimeoutMilliseconds = 60_000
    /// A client that reads nothing of its response for this long (the socket stays unwritable) is closed.
    public var writeTimeoutMilliseconds = 30_000

    /// Open `/maps/{map}/events` streams at once, over all maps; more get a fast 503. Each is also a
    /// connection, counted against `maxConnections`.
    public var maxEventSubscribers = 1_000

    public init() {}
}

extension LimitsConfiguration {
    static let keys: Set<String> = [
        "per_ip", "per_key", "trusted_proxies", "render_timeout_ms", "render_max_features", "render_max_vertices",
        "render_queue", "max_header_bytes", "max_headers", "max_path_bytes", "max_query_bytes", "max_query_parameters",
        "max_seed_tiles",
        "max_connections", "head_timeout_ms", "idle_timeout_ms", "write_timeout_ms",
        "max_event_subscribers",
    ]
    static let rateKeys: Set<String> = ["requests_per_second", "burst", "renders_per_second", "render_burst"]

    /// Reads `limits:`; problems name the line and key path.
    static func read(_ node: Node, file: String) -> (LimitsConfiguration, [ConfigurationError]) {
        var limits = LimitsConfiguration()
        var problems: [ConfigurationError] = []
        func problem(_ node: Node?, _ path: String, _ message: String) {
            problems.append(ConfigurationError(file: file, line: node?.mark?.line, keyPath: "limits." + path, message: message))
        }
        guard let mapping = node.mapping else {
            problems.append(ConfigurationError(file: file, line: node.mark?.line, keyPath: "limits", message: "expected a mapping of limits"))
            return (limits, problems)
        }
        func check(_ mapping: Node.Mapping, allowed: Set<String>, prefix: String) {
            for (key, _) in mapping {
                guard let name = key.string, !allowed.contains(name) else { continue }
                problem(key, prefix + name, "unknown key; expected one of \(allowed.sorted().joined(separator: ", "))")
            }
        }
        check(mapping, allowed: keys, prefix: "")
        func integer(_ key: String, _ range: ClosedRange<Int>, _ target: inout Int) {
            guard let value = mapping[key] else { return }
            if let number = value.int, range.contains(number) { target = number }
            else { problem(value, key, "expected an integer from \(range.lowerBound) to \(range.upperBound)") }
        }
        func rate(_ key: String, _ target: inout Rate) {
            guard let value = mapping[key] else { return }
            guard let rateMapping = value.mapping else { problem(value, key, "expected a mapping with \(rateKeys.sorted().joined(separator: ", "))"); return }
            check(rateMapping, allowed: rateKeys, prefix: key + ".")
            let fields: [(String, WritableKeyPath<Rate, Double>)] = [
                ("requests_per_second", \.requestsPerSecond), ("burst", \.burst),
                ("renders_per_second", \.rendersPerSecond), ("render_burst", \.renderBurst),
            ]
            for (name, path) in fields {
                guard let field = rateMapping[name] else { continue }
                if let number = field.float, number.isFinite, number >= 0, number <= 1_000_000 { target[keyPath: path] = number }
                else { problem(field, key + "." + name, "expected a number from 0 (off) to 1000000") }
            }
        }
        rate("per_ip", &limits.perIP)
        rate("per_key", &limits.perKey)
        if let value = mapping["trusted_proxies"] {
            let entries = value.sequence?.compactMap { $0.string } ?? []
            if let sequence = value.sequence, entries.count == sequence.count, entries.allSatisfy(TrustedProxies.isValidEntry) {
                limits.trustedProxies = entries
            } else {
                problem(value, "trusted_proxies", "expected a list of IP addresses or IPv4 CIDR blocks such as 10.0.0.0/8")
            }
        }
        integer("render_timeout_ms", 10...600_000, &limits.renderTimeoutMilliseconds)
        integer("render_max_features", 1...100_000_000, &limits.renderMaxFeatures)
        integer("render_max_vertices", 1...1_000_000_000, &limits.renderMaxVertices)
        integer("render_queue", 1...100_000, &limits.renderQueue)
        integer("max_header_bytes", 1024...1_048_576, &limits.maxHeaderBytes)
        integer("max_headers", 8...10_000, &limits.maxHeaders)
        integer("max_path_bytes", 64...65_536, &limits.maxPathBytes)
        integer("max_query_bytes", 0...65_536, &limits.maxQueryBytes)
        integer("max_query_parameters", 0...1_000, &limits.maxQueryParameters)
        integer("max_seed_tiles", 1...1_000_000_000_000_000, &limits.maxSeedTiles)
        if mapping["max_connections"] != nil {
            var cap = 0
            integer("max_connections", 1...10_000_000, &cap)
            if cap > 0 { limits.maxConnections = cap }
        }
        integer("head_timeout_ms", 100...10_000, &limits.headTimeoutMilliseconds)
        integer("idle_timeout_ms", 100...60_000, &limits.idleTimeoutMilliseconds)
        integer("write_timeout_ms", 100...30_000, &limits.writeTimeoutMilliseconds)
        integer("max_event_subscribers", 0...1_000_000, &limits.maxEventSubscribers)
        return (limits, problems)
    }
}
