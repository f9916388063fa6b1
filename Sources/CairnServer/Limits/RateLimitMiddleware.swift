import CairnConfiguration
import CairnEngine
import HTTPTypes
import Hummingbird

/// After the access guard (see `GuardedRouter`). Per-client token buckets: every request takes
/// from the client's request bucket, and a cache miss that starts a render also takes from its
/// tighter render bucket (through the `RenderAdmission` put in the request context for the tile
/// controllers to hand to the engine), so cached tiles stay cheap and renders are budgeted apart.
/// Over either, 429 with `Retry-After`. Clients are their verified key or token when the guard
/// found one, else their address (the socket peer; `X-Forwarded-For` only from `trusted_proxies`).
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = CairnRequestContext

    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let client: String
        let rate: LimitsConfiguration.Rate
        // Only a verified identity, or clients could mint themselves fresh buckets.
        if let principal = context.access.principal {
            client = "key " + "\(principal.kind.rawValue):\(principal.id)"
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
        var context = context
        context.renderAdmission = RenderAdmission {
            if let wait = limiter.renders.take(client, rate: rate.rendersPerSecond, burst: rate.renderBurst) { throw limiter.refusal(wait) }
        }
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
