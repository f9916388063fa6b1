import Yams

extension ConfigurationReader {
    /// Reads `cluster: {instances: ["10.0.0.11:8080", …]}`.
    mutating func readCluster(_ node: Node) -> ClusterConfiguration? {
        guard let mapping = node.mapping else {
            problem(node, "cluster", "expected a mapping with `instances`, a list of \"host:port\", got \(describe(node))")
            return nil
        }
        checkKeys(mapping, allowed: ["instances"], at: "cluster")
        guard let instancesNode = mapping["instances"] else {
            problem(node, "cluster.instances", "missing; expected a list of \"host:port\", one per Cairn instance")
            return nil
        }
        guard let list = instancesNode.sequence, !list.isEmpty else {
            problem(instancesNode, "cluster.instances", "expected a non-empty list of \"host:port\", got \(describe(instancesNode))")
            return nil
        }
        var instances: [String] = []
        var ok = true
        for (index, item) in list.enumerated() {
            let at = "cluster.instances[\(index)]"
            guard let text = item.string, Self.isInstanceAddress(text) else {
                problem(item, at, "expected \"host:port\" as in the front's `server` line (e.g. \"10.0.0.11:8080\", \"[fd00::11]:8080\"), got \(describe(item))")
                ok = false
                continue
            }
            if instances.contains(text) {
                problem(item, at, "duplicate instance \"\(text)\"; each instance is listed once")
                ok = false
                continue
            }
            instances.append(text)
        }
        return ok ? ClusterConfiguration(instances: instances) : nil
    }

    /// `host:port` with a DNS name or IPv4 address, or `[IPv6]:port`; port 1 to 65535, plain digits.
    static func isInstanceAddress(_ text: String) -> Bool {
        guard let colon = text.lastIndex(of: ":") else { return false }
        let port = text[text.index(after: colon)...]
        guard !port.isEmpty, port.count <= 5, port.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), port.first != "0",
              let number = Int(port), (1...65535).contains(number) else { return false }
        var host = String(text[..<colon])
        if host.hasPrefix("[") {
            guard host.hasSuffix("]"), host.count > 2 else { return false }
            host = String(host.dropFirst().dropLast())
            return host.contains(":") && isHostName(host.lowercased())
        }
        return !host.contains(":") && host == host.lowercased() && isHostName(host)
    }
}
