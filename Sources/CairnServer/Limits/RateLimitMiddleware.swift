import CairnEngine
import HTTPTypes
import Hummingbird

/// After authentication. Per-client token buckets: every request takes from the client's request bucket, and a cache
/// miss that starts a render also takes from its tighter render bucket (through
/// `RenderAdmission`), so cached tiles stay cheap and renders are budgeted apart. Over either,
/// 429 with `Retry-After`. Clients are their verified key when `identify` names one, else their
/// address (the socket peer; `X-Forwarded-For` only from `trusted_proxies`).
struct RateLimitMiddleware<Context: RequestContext & RemoteAddressRequestContext>: RouterMiddleware {
    let limiter: RateLimiter
    /// A verified key or token identity for the request, if any (never an unverified string,
    /// or clients could mint themselves fresh buckets).
    let identify: @Sendable (Request, Context) -> String?

    init(limiter: RateLimiter, identify: @escaping @Sendable (Request, Context) -> String? = { _, _ in nil }) {
        self.limiter = limiter
        self.identify = identify
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let client: String
        let rate: LimitsConfiguration.Rate
        if let key = identify(request, context) {
            client = "key " + key
            rate = limiter.limits.perKey
            if let wait = limiter.requests.take(client, rate: rate.requestsPerSecond, burst: rate.burst) { throw limiter.refusal(wait) }
        } else {
            client = limiter.address(request, peer: context.remoteAddress)
            rate = limiter.limits.perIP
            // Anonymous requests were charged before authentication; an unverified credential is charged here.
            if RateLimiter.presentsCredential(request),
               let wait = limiter.requests.take(client, rate: rate.requestsPerSecond, burst: rate.burst) { throw limiter.refusal(wait) }
        }
        let limiter = self.limiter
        let admission = RenderAdmission {
            if let wait = limiter.renders.take(client, rate: rate.rendersPerSecond, burst: rate.renderBurst) { throw limiter.refusal(wait) }
        }
        return try await RequestRenderAdmission.$current.withValue(RequestRenderAdmission(admission)) {
            try await next(request, context)
        }
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
