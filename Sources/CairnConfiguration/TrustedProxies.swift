#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The proxies whose `X-Forwarded-For` is believed: exact IPv4/IPv6 addresses and IPv4 CIDR
/// blocks. Anyone else's forwarding headers are ignored, so a client cannot pick its own
/// rate-limit bucket by sending one.
public struct TrustedProxies: Sendable, Equatable {
    private var exact: Set<String> = []
    private var blocks: [(network: UInt32, mask: UInt32)] = []

    public init(_ entries: [String]) {
        for entry in entries {
            if let (network, mask) = Self.ipv4Block(entry) { blocks.append((network, mask)) }
            else if let canonical = Self.canonical(entry) { exact.insert(canonical) }
        }
    }

    public var isEmpty: Bool { exact.isEmpty && blocks.isEmpty }

    public func contains(_ address: String) -> Bool {
        guard !isEmpty, let canonical = Self.canonical(address) else { return false }
        if exact.contains(canonical) { return true }
        guard let value = Self.ipv4(canonical) else { return false }
        return blocks.contains { value & $0.mask == $0.network }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.exact == rhs.exact && lhs.blocks.map(\.network) == rhs.blocks.map(\.network) && lhs.blocks.map(\.mask) == rhs.blocks.map(\.mask)
    }

    /// An address or an IPv4 block `a.b.c.d/n`.
    public static func isValidEntry(_ entry: String) -> Bool {
        ipv4Block(entry) != nil || canonical(entry) != nil
    }

    /// The textual form inet_ntop gives, so `::1` and `0:0::1` compare equal; nil when not an address.
    public static func canonical(_ text: String) -> String? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return format(AF_INET, v4, Int(INET_ADDRSTRLEN)) }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return format(AF_INET6, v6, Int(INET6_ADDRSTRLEN)) }
        return nil
    }

    /// `address` is a plain C struct (in_addr or in6_addr), so its bytes are the address.
    private static func format<T>(_ family: Int32, _ address: T, _ length: Int) -> String? {
        var buffer = [CChar](repeating: 0, count: length + 1)
        let written = withUnsafeBytes(of: address) { raw in
            buffer.withUnsafeMutableBufferPointer { inet_ntop(family, raw.baseAddress, $0.baseAddress, socklen_t(length)) }
        }
        guard written != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func ipv4(_ text: String) -> UInt32? {
        var v4 = in_addr()
        guard inet_pton(AF_INET, text, &v4) == 1 else { return nil }
        return UInt32(bigEndian: v4.s_addr)
    }

    private static func ipv4Block(_ entry: String) -> (UInt32, UInt32)? {
        let parts = entry.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let base = ipv4(String(parts[0])),
              parts[1].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let bits = Int(parts[1]), (0...32).contains(bits) else { return nil }
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
        return (base & mask, mask)
    }
}
