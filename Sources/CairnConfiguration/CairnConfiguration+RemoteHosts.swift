import Yams

extension ConfigurationReader {
    /// Reads `remote_hosts:`, the host names remote style sources may reach (`[data.haiphong.gov.vn, 10.0.0.5]`).
    /// Only bare names are taken: a scheme, port or path would suggest a narrower rule than the one applied.
    mutating func readRemoteHosts(_ node: Node) -> Set<String> {
        let expected = "expected a list of host names, e.g. [data.haiphong.gov.vn]"
        guard let list = node.sequence else {
            problem(node, "remote_hosts", "\(expected), got \(describe(node))")
            return []
        }
        var hosts: Set<String> = []
        for (index, item) in list.enumerated() {
            let at = "remote_hosts[\(index)]"
            guard let text = item.string, !text.isEmpty else {
                problem(item, at, "\(expected), got \(describe(item))")
                continue
            }
            let host = text.lowercased()
            guard Self.isHostName(host) else {
                problem(item, at, "expected a bare host name or IP address (no scheme, port or path), such as data.haiphong.gov.vn, got \(describe(item))")
                continue
            }
            hosts.insert(host)
        }
        return hosts
    }

    /// A DNS name (labels of letters, digits and '-', not starting or ending with '-'), an IPv4
    /// address, or an IPv6 address without brackets.
    static func isHostName(_ host: String) -> Bool {
        guard !host.isEmpty, host.utf8.count <= 253 else { return false }
        if host.contains(":") {
            return host.utf8.allSatisfy { $0 == 0x3A || $0 == 0x2E || ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            guard let first = label.utf8.first, let last = label.utf8.last, label.utf8.count <= 63 else { return false }
            return first != 0x2D && last != 0x2D
                && label.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
        }
    }
}
