import NIOCore

/// The text/event-stream wire format (WHATWG HTML, "Server-sent events"): fields as `name: value`
/// lines, an empty line ending each event; a line starting with `:` is a comment clients ignore.
enum ServerSentEvent {
    /// One event. `data` must be a single line (the JSON documents sent here are).
    static func event(_ name: String, id: Int? = nil, data: String) -> ByteBuffer {
        var text = ""
        if let id { text += "id: \(id)\n" }
        text += "event: \(name)\ndata: \(data)\n\n"
        return ByteBuffer(string: text)
    }

    /// A comment: keeps proxies from closing an idle stream, and tells a client the stream is open.
    static func comment(_ text: String) -> ByteBuffer { ByteBuffer(string: ": \(text)\n\n") }

    /// How long a client's `EventSource` waits before reconnecting after the stream ends.
    static func retry(milliseconds: Int) -> ByteBuffer { ByteBuffer(string: "retry: \(milliseconds)\n\n") }
}
