import CairnConfiguration
import CairnEngine
import HTTPTypes
import Hummingbird

/// Refuses oversized or malformed requests before any routing or map lookup, so long or
/// repeated query strings cannot multiply work or cache keys: a path or query over its byte
/// cap → 414; too many or repeated query parameters, broken percent-encoding, encoded bytes
/// that are not UTF-8 (overlong forms, surrogates) or control characters → 400; too many or too
/// large headers → 431 (the HTTP decoder enforces the same caps before buffering them).
struct RequestLimitsMiddleware<Context: RequestContext>: RouterMiddleware {
    let limits: LimitsConfiguration

    init(limits: LimitsConfiguration = LimitsConfiguration()) {
        self.limits = limits
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.headers.count > limits.maxHeaders {
            throw HTTPError(.requestHeaderFieldsTooLarge, message: "too many request headers")
        }
        var headerBytes = 0
        for field in request.headers { headerBytes += field.name.rawName.utf8.count + field.value.utf8.count + 4 }
        if headerBytes > limits.maxHeaderBytes {
            throw HTTPError(.requestHeaderFieldsTooLarge, message: "the request headers are too large")
        }
        let path = request.uri.path
        if path.utf8.count > limits.maxPathBytes {
            throw HTTPError(.uriTooLong, message: "the request path is too long")
        }
        guard Self.isWellEncoded(path.utf8) else {
            throw HTTPError(.badRequest, message: "malformed percent-encoding or control characters in the path")
        }
        if let query = request.uri.query, !query.isEmpty {
            if query.utf8.count > limits.maxQueryBytes {
                throw HTTPError(.uriTooLong, message: "the query string is too long")
            }
            guard Self.isWellEncoded(query.utf8) else {
                throw HTTPError(.badRequest, message: "malformed percent-encoding or control characters in the query")
            }
            try checkParameters(query)
        }
        return try await next(request, context)
    }

    /// At most `maxQueryParameters`, each name once (case-insensitively, as WMTS reads them).
    func checkParameters(_ query: String) throws {
        var names: Set<String> = []
        for pair in query.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let name = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false).first ?? pair
            let lowered = String(decoding: name.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
            guard names.insert(lowered).inserted else {
                throw HTTPError(.badRequest, message: "a query parameter is repeated")
            }
            if names.count > limits.maxQueryParameters {
                throw HTTPError(.badRequest, message: "too many query parameters (at most \(limits.maxQueryParameters))")
            }
        }
    }

    /// Every `%` starts two hex digits; the decoded bytes are valid UTF-8 (which excludes
    /// overlong forms and surrogates) without control characters (NUL included).
    static func isWellEncoded(_ text: some Collection<UInt8>) -> Bool {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(text.count)
        var iterator = text.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return false }
                decoded.append(high << 4 | low)
            } else {
                decoded.append(byte)
            }
        }
        if decoded.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return false }
        var validator = Unicode.UTF8.ForwardParser()
        var bytes = decoded.makeIterator()
        while true {
            switch validator.parseScalar(from: &bytes) {
            case .valid: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}
