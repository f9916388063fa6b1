import CairnTestSupport
import NIOCore
import NIOPosix
import Synchronization

/// A raw HTTP/1.1 client for streams that never end: it sends one GET over a socket and keeps
/// everything the server sends (head and body, unparsed) for the test to wait on, until the server
/// closes the connection or `close()` does.
final class EventStreamClient: Sendable {
    private let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    private let received = Mutex("")
    private let ended = Atomic(false)
    private let reader = Mutex<Task<Void, Never>?>(nil)

    private init(channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>) {
        self.channel = channel
    }

    /// Connects to 127.0.0.1:`port` and asks for `path` with `headers` (`Name: value` lines).
    static func open(port: Int, path: String, headers: [String] = []) async throws -> EventStreamClient {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        let client = EventStreamClient(channel: channel)
        let request = (["GET \(path) HTTP/1.1", "Host: 127.0.0.1", "Accept: text/event-stream"] + headers).joined(separator: "\r\n") + "\r\n\r\n"
        let task = Task {
            try? await channel.executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(string: request))
                for try await chunk in inbound {
                    client.received.withLock { $0 += String(buffer: chunk) }
                }
            }
            client.ended.store(true, ordering: .sequentiallyConsistent)
        }
        client.reader.withLock { $0 = task }
        return client
    }

    /// Everything received so far.
    var text: String { received.withLock { $0 } }
    /// Whether the server closed the connection (or `close()` was called).
    var isClosed: Bool { ended.load(ordering: .sequentiallyConsistent) }
    /// The status line's code, once the head has arrived.
    var status: Int? {
        let line = text.prefix { $0 != "\r" }
        let parts = line.split(separator: " ")
        return parts.count >= 2 && text.contains("\r\n") ? Int(parts[1]) : nil
    }

    /// Waits until the text received satisfies `condition`.
    @discardableResult
    func waitFor(timeout: Duration = .seconds(30), _ condition: @escaping (String) -> Bool) async -> Bool {
        await Wait.until(timeout: timeout) { condition(self.text) }
    }

    /// Closes the connection from this side and waits for the reader to finish.
    func close() async {
        try? await channel.channel.close()
        await reader.withLock { $0 }?.value
    }
}
