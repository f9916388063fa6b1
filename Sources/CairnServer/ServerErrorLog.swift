import CairnAccess
import CairnEngine
import HTTPTypes
import Hummingbird
import Logging

/// Server-side failures (5xx) are logged exactly once, where the error becomes a response, with
/// what clients are never told: the error's detail. The request target is logged with its
/// credentials redacted.
enum ServerErrorLog {
    static func record(_ error: any Error, status: HTTPResponse.Status, request: Request, logger: Logger) {
        guard status.code >= 500 else { return }
        var metadata: Logger.Metadata = [
            "status": "\(status.code)",
            "method": "\(request.method.rawValue)",
            "path": "\(SecretRedaction.redact(url: String(request.uri.description.prefix(512))))",
        ]
        switch error {
        case let error as EngineError:
            metadata["code"] = "\(error.code)"
            metadata["message"] = "\(error.message)"
            if let detail = error.detail { metadata["detail"] = "\(detail)" }
        case let error as HTTPError:
            metadata["message"] = "\(error.body ?? error.status.reasonPhrase)"
        default:
            metadata["error"] = "\(String(reflecting: error))"
        }
        logger.error("request failed", metadata: metadata)
    }
}
