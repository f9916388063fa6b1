import CairnEngine
import HTTPTypes
import Hummingbird

/// Per-client token buckets: every request takes from the client's request bucket, and a cache
/// miss that starts a render also takes from its tighter render bucket (through
/// `RenderAdmission`), so cached tiles stay cheap and renders are budgeted apart. Over either,
/// 429 with `Retry-After`. Clients are their verified key when `identify` names one, else their
/// address (the socket peer; `X-Forwarded-For` only from `trusted_proxies`).
struct RateLimitMiddleware<Context: RequestContext & RemoteAddressRequestContext>: RouterMiddleware {
    let limits: LimitsConfiguration
    let trusted: TrustedProxies
    let metrics: ServiceMetrics
    /// A verified key or token identity for the request, if any (never an unverified string,
    /// or clients could mint themselves fresh buckets).
    let identify: @Sendable (Request, Context) -> String?
    private let requestBuckets = TokenBuckets()
    private let renderBuckets = TokenBuckets()

    init(limits: LimitsConfiguration, metrics: ServiceMetrics, identify: @escaping @Sendable (Request, Context) -> String? = { _, _ in nil }) {
        self.limits = limits
        self.trusted = TrustedProxies(limits.trustedProxies)
        self.metrics = metrics
        self.identify = identify
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let client: String
        let rate: LimitsConfiguration.Rate
        if let key = identify(request, context) {
            client = "key " + key
            rate = limits.perKey
        } else {
            client = "ip " + ClientAddress.resolve(peer: context.remoteAddress, forwardedFor: request.headers[.xForwardedFor], trusted: trusted)
            rate = limits.perIP
        }
        if let wait = requestBuckets.take(client, rate: rate.requestsPerSecond, burst: rate.burst) {
            metrics.countRateLimited()
            throw Self.refusal(wait)
        }
        let renderBuckets = self.renderBuckets
        let metrics = self.metrics
        return try await RenderAdmission.$check.withValue({
            if let wait = renderBuckets.take(client, rate: rate.rendersPerSecond, burst: rate.renderBurst) {
                metrics.countRateLimited()
                throw Self.refusal(wait)
            }
        }) {
            try await next(request, context)
        }
    }

    static func refusal(_ wait: Duration) -> EngineError {
        var error = EngineError(.rateLimited, "too many requests; slow down")
        error.retryAfterSeconds = max(1, Int(wait.components.seconds) + (wait.components.attoseconds > 0 ? 1 : 0))
        return error
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
