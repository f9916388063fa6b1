import CairnEngine
import HTTPTypes

extension EngineError {
    /// The status every route family answers this error with.
    var httpStatus: HTTPResponse.Status {
        switch code {
        case .badRequest: return .badRequest
        case .notFound: return .notFound
        case .overloaded, .mapUnavailable, .sourceUnavailable: return .serviceUnavailable
        case .rateLimited: return .tooManyRequests
        default: return .internalServerError
        }
    }

    /// `Retry-After` seconds: the error's own, else a short pause for an overloaded server.
    var retryAfter: Int? {
        retryAfterSeconds ?? (code == .overloaded ? 2 : code == .sourceUnavailable ? 5 : nil)
    }
}
