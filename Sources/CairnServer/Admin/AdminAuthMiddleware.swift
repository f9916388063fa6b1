import CairnAccess
import HTTPTypes
import Hummingbird

/// Lets a request through only with `Authorization: Bearer <token>`. The comparison takes
/// the same time whatever the presented token is, apart from its own length (which the
/// client knows anyway), so timing reveals neither the token nor its length.
struct AdminAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Empty means no token was configured: every request is refused.
    private let expected: [UInt8]
    private let failures: AdminAuthFailureLog?

    init(token: String, failures: AdminAuthFailureLog? = nil) {
        expected = Array(token.utf8)
        self.failures = failures
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            return Self.unauthorized(invalidToken: false)
        }
        guard let presented = Self.bearerToken(in: header), ConstantTime.equals(presented, expected) else {
            let address = (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress ?? "an unknown address"
            if let failures {
                failures.refused(from: address)
            } else {
                context.logger.notice("admin request from \(address) with a wrong or malformed Authorization header refused")
            }
            return Self.unauthorized(invalidToken: true)
        }
        return try await next(request, context)
    }

    /// The credentials of a `Bearer` authorization (the scheme is case-insensitive, RFC 9110).
    static func bearerToken(in header: String) -> ArraySlice<UInt8>? {
        let bytes = Array(header.utf8)
        let scheme = Array("bearer ".utf8)
        guard bytes.count > scheme.count else { return nil }
        for (byte, wanted) in zip(bytes, scheme) where byte | 0x20 != wanted {
            return nil
        }
        var credentials = bytes[scheme.count...]
        while credentials.first == 0x20 { credentials.removeFirst() }
        while credentials.last == 0x20 { credentials.removeLast() }
        return credentials
    }

    static func unauthorized(invalidToken: Bool) -> Response {
        var response = ErrorMiddleware<Context>.response(.unauthorized, "this endpoint needs the header Authorization: Bearer <admin token>")
        response.headers[.wwwAuthenticate] = invalidToken ? #"Bearer realm="cairn-admin", error="invalid_token""# : #"Bearer realm="cairn-admin""#
        return response
    }
}
