import CairnConfiguration
import CairnEngine
import HTTPTypes
import Hummingbird
import NIOCore

/// The buckets shared by the two rate-limit middlewares (one before authentication, one after).
final class RateLimiter: Sendable {
    let limits: LimitsConfiguration
    let trusted: TrustedProxies
    let metrics: ServiceMetrics
    let requests = TokenBuckets()
    let renders = TokenBuckets()
    /// Refused credentials per address, so keys and tokens cannot be guessed at full speed.
    let failures = TokenBuckets()

    init(limits: LimitsConfiguration, metrics: ServiceMetrics) {
        self.limits = limits
        self.trusted = TrustedProxies(limits.trustedProxies)
        self.metrics = metrics
    }

    func address(_ request: Request, peer: SocketAddress?) -> String {
        "ip " + ClientAddress.resolve(peer: peer, forwardedFor: request.headers[.xForwardedFor], trusted: trusted)
    }

    /// Whether the request presents a key or token anywhere access control looks for one.
    static func presentsCredential(_ request: Request) -> Bool {
        if request.headers[.authorization] != nil || request.headers[HTTPField.Name("X-API-Key")!] != nil { return true }
        let parameters = request.uri.queryParameters
        return parameters["key"] != nil || parameters["token"] != nil
    }

    func refusal(_ wait: Duration) -> EngineError {
        metrics.countRateLimited()
        var error = EngineError(.rateLimited, "too many requests; slow down")
        error.retryAfterSeconds = max(1, Int(wait.components.seconds) + (wait.components.attoseconds > 0 ? 1 : 0))
        return error
    }
}

/// Before authentication: anonymous requests take from their address's request bucket; requests
/// with a credential are charged after authentication (by key, see `RateLimitMiddleware`), but a
/// refused credential (401/404) takes from the address's failure bucket, and an address out of
/// those gets 429 for any credential until it refills.
struct AddressRateLimitMiddleware<Context: RequestContext & RemoteAddressRequestContext>: RouterMiddleware {
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let address = limiter.address(request, peer: context.remoteAddress)
        let rate = limiter.limits.perIP
        guard RateLimiter.presentsCredential(request) else {
            if let wait = limiter.requests.take(address, rate: rate.requestsPerSecond, burst: rate.burst) { throw limiter.refusal(wait) }
            return try await next(request, context)
        }
        if let wait = limiter.failures.peek(address, rate: rate.requestsPerSecond, burst: rate.burst) { throw limiter.refusal(wait) }
        let response = try await next(request, context)
        if response.status == .unauthorized || response.status == .notFound {
            _ = limiter.failures.take(address, rate: rate.requestsPerSecond, burst: rate.burst)
        }
        return response
    }
}
