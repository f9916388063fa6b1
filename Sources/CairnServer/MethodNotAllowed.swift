import HTTPTypes
import Hummingbird

/// 405 with `Allow` for the methods a known path does not take (an unknown path stays 404).
/// Registered in the route tree itself, for every path already there, so it can never disagree
/// with the routes. HEAD is answered wherever GET is (`RouterOptions.autoGenerateHeadEndpoints`).
enum MethodNotAllowed {
    /// The methods a client may plausibly send; others (WebDAV and the like) get 404.
    static let refusable: [HTTPRequest.Method] = [.get, .head, .post, .put, .delete, .patch, .options, .trace]

    /// Call after every route is added.
    /// - Parameter answersPreflights: OPTIONS is answered on every path (CORS preflights by
    ///   `PreflightMiddleware`, any other OPTIONS here with 204 and `Allow`).
    static func register<Context: RequestContext>(in router: Router<Context>, answersPreflights: Bool) {
        var methodsByPath: [String: (path: RouterPath, methods: Set<HTTPRequest.Method>)] = [:]
        for route in router.routes {
            methodsByPath[route.path.description, default: (route.path, [])].methods.insert(route.method)
        }
        for (_, entry) in methodsByPath.sorted(by: { $0.key < $1.key }) {
            var allowed = entry.methods
            if allowed.contains(.get) { allowed.insert(.head) }
            if answersPreflights { allowed.insert(.options) }
            let allow = allowed.map(\.rawValue).sorted(by: Self.conventionalOrder).joined(separator: ", ")
            for method in refusable where !allowed.contains(method) {
                router.on(entry.path, method: method) { _, _ in refusal(allow: allow) }
            }
            if answersPreflights && !entry.methods.contains(.options) {
                router.on(entry.path, method: .options) { _, _ in
                    Response(status: .noContent, headers: [.allow: allow, .cacheControl: "no-store"])
                }
            }
        }
    }

    static func refusal(allow: String) -> Response {
        var response = ErrorMiddleware<BasicRequestContext>.response(.methodNotAllowed, "method not allowed; this resource takes " + allow)
        response.headers[.allow] = allow
        return response
    }

    /// GET, HEAD, POST, …, OPTIONS: the order RFC 9110 lists them in.
    static func conventionalOrder(_ a: String, _ b: String) -> Bool {
        let order = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"]
        return (order.firstIndex(of: a) ?? order.count, a) < (order.firstIndex(of: b) ?? order.count, b)
    }
}
