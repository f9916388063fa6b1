import CairnZlib

/// nginx's consistent hash (`hash $key consistent`, ngx_http_upstream_hash_module, the ketama
/// scheme of Cache::Memcached::Fast), reproduced point for point so that Cairn can tell which
/// instance the front sends a key to: `cairn seed --shard` seeds exactly what each instance will serve.
///
/// Each instance gets `160 × weight` points: the CRC-32 of its host, a zero byte, its port and the
/// previous point (little-endian, 0 for the first). The points are sorted and repeated hashes
/// dropped. A key goes to the first point at or after the CRC-32 of the key, wrapping to the first
/// point; when that point's instance is down, to the next point's, and so on.
public struct ClusterRing: Sendable, Hashable {
    struct Point: Sendable, Hashable {
        var hash: UInt32
        var instance: Int
    }

    /// The instances as written in the front's `server` lines (`host:port`).
    public let instances: [String]
    let points: [Point]

    /// - Parameter weights: nginx's `weight=` per instance (default 1).
    public init(instances: [String], weights: [Int]? = nil) {
        self.instances = instances
        var points: [Point] = []
        for (index, server) in instances.enumerated() {
            let (host, port) = Self.hostAndPort(server)
            let base: [UInt8] = Array(host.utf8) + [0] + Array(port.utf8)
            var previous: UInt32 = 0
            let count = 160 * max(1, weights?[index] ?? 1)
            for _ in 0..<count {
                let bytes = base + [UInt8(previous & 0xFF), UInt8(previous >> 8 & 0xFF), UInt8(previous >> 16 & 0xFF), UInt8(previous >> 24)]
                let hash = Zlib.crc32(bytes)
                points.append(Point(hash: hash, instance: index))
                previous = hash
            }
        }
        // nginx sorts with qsort and keeps the first of equal hashes; equal hashes of different
        // instances (a 1-in-10⁷ chance per pair of points) are the one case its order is unspecified.
        points.sort { $0.hash != $1.hash ? $0.hash < $1.hash : $0.instance < $1.instance }
        var unique: [Point] = []
        unique.reserveCapacity(points.count)
        for point in points where unique.last?.hash != point.hash { unique.append(point) }
        self.points = unique
    }

    /// How nginx splits a `server` address for hashing: `unix:PATH` is all host; otherwise the
    /// digits after the last colon are the port, when there are any.
    static func hostAndPort(_ server: String) -> (host: Substring, port: Substring) {
        if server.lowercased().hasPrefix("unix:") { return (server.dropFirst(5), "") }
        var index = server.endIndex
        while index > server.startIndex {
            let before = server.index(before: index)
            let character = server[before]
            if character == ":" { return (server[..<before], server[index...]) }
            guard character.isASCII, character.isNumber else { break }
            index = before
        }
        return (server[...], "")
    }

    /// The instance (an index into `instances`) the front sends `key` to, skipping the instances in
    /// `unavailable` as nginx skips failed ones; nil when every instance is unavailable.
    public func instance(for key: String, unavailable: Set<Int> = []) -> Int? {
        guard !points.isEmpty else { return nil }
        let hash = Zlib.crc32(Array(key.utf8))
        // The first point whose hash is >= the key's, or the end (which wraps to the first point).
        var low = 0, high = points.count
        while low < high {
            let middle = (low + high) / 2
            if points[middle].hash < hash { low = middle + 1 } else { high = middle }
        }
        for step in 0..<points.count {
            let candidate = points[(low + step) % points.count].instance
            if !unavailable.contains(candidate) { return candidate }
        }
        return nil
    }

    /// The key the front routes a tile by: the metatile holding it, in the map's default grid
    /// (`grid` nil or WebMercatorQuad) or in a named grid. Exactly what deploy/nginx/cairn.js computes.
    public static func metatileKey(map: String, grid: String? = nil, z: Int, x: Int, y: Int, metatileSize: Int) -> String {
        let size = max(1, metatileSize)
        let gridPart = grid.map { $0 == "WebMercatorQuad" ? "" : $0 + "/" } ?? ""
        return "\(map)/\(gridPart)\(z)/\(x / size)/\(y / size)"
    }
}
