import CairnConfiguration
import CairnEngine
import NIOCore

/// The address a request is attributed to: the socket peer, or — only when the peer is a
/// trusted proxy — the nearest untrusted address in `X-Forwarded-For`.
enum ClientAddress {
    static func resolve(peer: SocketAddress?, forwardedFor: String?, trusted: TrustedProxies) -> String {
        let peerAddress = peer?.ipAddress ?? "unknown"
        guard let forwardedFor, !trusted.isEmpty, trusted.contains(peerAddress) else { return peerAddress }
        // Proxies append; the rightmost entries are the most trustworthy. Walk back past our own proxies.
        let hops = forwardedFor.split(separator: ",").map { Self.trimmed($0) }
        for hop in hops.reversed() {
            guard let address = TrustedProxies.canonical(hop) else { return peerAddress }
            if !trusted.contains(address) { return address }
        }
        return hops.first.flatMap { TrustedProxies.canonical($0) } ?? peerAddress
    }

    /// Without the spaces and tabs HTTP allows around list elements.
    static func trimmed(_ text: Substring) -> String {
        var slice = text
        while slice.first == " " || slice.first == "\t" { slice.removeFirst() }
        while slice.last == " " || slice.last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
