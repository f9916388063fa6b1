import Hummingbird

/// The public listener's only way to add a route: each route names its access class where it is
/// registered, the access guard applies that class to the resolved route (then the client's rate
/// limit, then the handler), and `accessClasses` records it so a test can check that no route of
/// the router was added some other way.
struct GuardedRouter {
    typealias Context = CairnRequestContext
    typealias Handler = @Sendable (Request, Context) async throws -> Response

    let router: Router<Context>
    let accessGuard: AccessGuard
    let rateLimit: RateLimitMiddleware
    let accessClasses = RouteAccessTable()

    func get(_ path: RouterPath, access: RouteAccess, use handler: @escaping Handler) {
        accessClasses.record(access, for: path)
        let accessGuard = self.accessGuard
        let rateLimit = self.rateLimit
        router.get(path) { request, context in
            try await accessGuard.handle(request, context: context, access: access) { request, context in
                try await rateLimit.handle(request, context: context, next: handler)
            }
        }
    }
}

/// The access class of every route registered through `GuardedRouter`, by route path.
final class RouteAccessTable {
    private(set) var classes: [String: RouteAccess] = [:]

    func record(_ access: RouteAccess, for path: RouterPath) {
        precondition(classes[path.description] == nil || classes[path.description] == access,
                     "route \(path) registered twice with different access classes")
        classes[path.description] = access
    }

    func access(of path: RouterPath) -> RouteAccess? { classes[path.description] }
}
