import CairnAccess
import CairnConfiguration
import CairnCore
import CairnEngine
import HTTPTypes
import Hummingbird
import ServiceLifecycle

/// `GET /maps/{map}/events`: a Server-Sent Events stream of the map's tile invalidations (see
/// `TileInvalidation.json` and the README's "Live invalidations"), for pages that show the map to
/// re-fetch exactly the tiles an edit changed. It is guarded like the map's tiles (an internal map's
/// stream needs the credential its tiles need, and is refused in the same words). Streams are
/// capped (`limits.max_event_subscribers`, 503 beyond), get a comment every `keepAliveInterval` so
/// proxies keep them open, and end when the client goes or the server shuts down gracefully.
struct EventStreamController: Sendable {
    typealias Context = CairnRequestContext

    let engine: TileEngine
    var keepAliveInterval: Duration = Self.defaultKeepAliveInterval

    /// Under the 30 to 60 s after which common proxies (nginx, load balancers) drop an idle response.
    static let defaultKeepAliveInterval: Duration = .seconds(20)
    /// Sent with the 503 of a full server: streams are long-lived, so a slot frees slowly.
    static let retryAfterSeconds = 30
    /// How long a browser waits before reconnecting a stream that ended (a restart, a dropped connection).
    static let reconnectMilliseconds = 3_000

    func register(in routes: GuardedRouter) {
        routes.get("/maps/:map/events", access: .map(.maps)) { request, context in try await events(request, context) }
    }

    func events(_ request: Request, _ context: Context) async throws -> Response {
        let name = context.parameters.get("map") ?? ""
        guard MapConfiguration.isValidName(name) else { throw EngineError(.notFound, "no such map") }
        _ = try await engine.map(named: name)
        let hub = engine.invalidations
        // Checked before answering 200; the subscription itself is taken in the body, which runs
        // only once the head is written, so a request that never gets that far holds no slot.
        guard hub.subscriberCount < hub.capacity else { throw Self.full() }
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.xAccelBuffering] = "no"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.accessControlAllowOrigin] = "*"
        if request.method == .head { return Response(status: .ok, headers: headers) }
        let principal = context.access.principal
        let lastEventID = request.headers[.lastEventID]
        let keepAliveInterval = self.keepAliveInterval
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            // Lost the race for the last place: an empty stream, which the browser retries.
            guard let subscription = hub.subscribe(map: name) else {
                try await writer.finish(nil)
                return
            }
            defer { subscription.end() }
            // Compared once subscribed, so nothing published in between goes unnoticed: a
            // reconnecting client that missed invalidations (or saw another server life's) reloads all.
            let missed = lastEventID.map { Int($0) != hub.lastID(of: name) } ?? false
            do {
                // Cancelled when the client closes the connection, so it frees its place at once rather
                // than at the next keep-alive. (This needs a real connection: HummingbirdTesting's
                // router mode cannot run it; test streams live.)
                try await request.body.consumeWithCancellationOnInboundClose { _ in
                    try await withGracefulShutdownHandler {
                        try await Self.stream(subscription, to: &writer, principal: principal, missed: missed,
                                              keepAliveInterval: keepAliveInterval)
                    } onGracefulShutdown: {
                        subscription.end()
                    }
                }
            } catch is CancellationError {
                // The client went away: nothing more to write to it.
                return
            }
            try await writer.finish(nil)
        })
    }

    /// Writes the opening comment, then invalidations and keep-alives until the subscription ends.
    static func stream(_ subscription: InvalidationSubscription, to writer: inout any ResponseBodyWriter,
                       principal: Principal?, missed: Bool, keepAliveInterval: Duration) async throws {
        try await writer.write(ServerSentEvent.retry(milliseconds: reconnectMilliseconds))
        if missed { try await writer.write(reset(subscription.map)) }
        // Last of the opening: once a client reads it, the subscription exists and a reset is sent.
        try await writer.write(ServerSentEvent.comment("invalidations of \(subscription.map)"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while true {
                    try await Task.sleep(for: keepAliveInterval)
                    subscription.wake()
                }
            }
            while let deliveries = await subscription.next() {
                if deliveries.isEmpty { try await writer.write(ServerSentEvent.comment("keep-alive")) }
                for delivery in deliveries {
                    switch delivery {
                    case .reset:
                        try await writer.write(reset(subscription.map))
                    case .invalidated(let invalidation):
                        guard let visible = invalidation.visible(to: principal) else { continue }
                        try await writer.write(ServerSentEvent.event("invalidate", id: visible.id, data: visible.json.text))
                    }
                }
            }
            group.cancelAll()
        }
    }

    static func reset(_ map: String) -> ByteBuffer {
        ServerSentEvent.event("reset", data: (["map": JSONValue(map)] as JSONValue).text)
    }

    static func full() -> EngineError {
        var error = EngineError(.overloaded, "too many event streams are open; try again later")
        error.retryAfterSeconds = retryAfterSeconds
        return error
    }
}

extension HTTPField.Name {
    /// Tells nginx not to buffer the response, so each event reaches the client when it is written.
    static let xAccelBuffering = HTTPField.Name("X-Accel-Buffering")!
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
}
