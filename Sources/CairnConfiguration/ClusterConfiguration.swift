/// `cluster:` — the instances of a cluster behind a consistent-hash front (deploy/nginx), in the
/// order `cairn seed --shard K/N` numbers them. Each is written exactly as the front's `server`
/// line (`host:port`), because the ring hashes that text.
public struct ClusterConfiguration: Sendable, Hashable {
    public var instances: [String]

    public init(instances: [String]) {
        self.instances = instances
    }
}
