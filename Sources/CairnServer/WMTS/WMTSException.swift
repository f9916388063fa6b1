import HTTPTypes
import Hummingbird

/// A WMTS failure, answered as an OWS 1.1 ExceptionReport. The locator is always a
/// parameter name chosen by the server and the text a fixed sentence: request values are
/// never echoed back.
struct WMTSException: Error, Sendable {
    /// OWS 1.1 and WMTS 1.0.0 exception codes, with the HTTP status WMTS 1.0.0 (table 28) gives each.
    enum Code: String, Sendable {
        case missingParameterValue = "MissingParameterValue"
        case invalidParameterValue = "InvalidParameterValue"
        case operationNotSupported = "OperationNotSupported"
        case versionNegotiationFailed = "VersionNegotiationFailed"
        case tileOutOfRange = "TileOutOfRange"
        case noApplicableCode = "NoApplicableCode"

        var status: HTTPResponse.Status {
            switch self {
            case .operationNotSupported: return .notImplemented
            case .noApplicableCode: return .internalServerError
            default: return .badRequest
            }
        }
    }

    var code: Code
    var locator: String?
    var message: String
    /// Overrides the code's status, for engine failures such as overload (503).
    var status: HTTPResponse.Status
    var retryAfter: Int?

    init(_ code: Code, locator: String?, _ message: String, status: HTTPResponse.Status? = nil, retryAfter: Int? = nil) {
        self.code = code
        self.locator = locator
        self.message = message
        self.status = status ?? code.status
        self.retryAfter = retryAfter
    }

    static func missing(_ parameter: String) -> WMTSException {
        WMTSException(.missingParameterValue, locator: parameter, "the \(parameter) parameter is required")
    }

    static func invalid(_ parameter: String, _ expected: String) -> WMTSException {
        WMTSException(.invalidParameterValue, locator: parameter, "invalid \(parameter): \(expected)")
    }

    static func outOfRange(_ parameter: String) -> WMTSException {
        WMTSException(.tileOutOfRange, locator: parameter, "\(parameter) is outside the range the layer offers")
    }

    /// The ExceptionReport document.
    var document: String {
        var xml = XMLWriter()
        xml.open("ows:ExceptionReport", [
            "xmlns:ows": WMTSNamespace.ows,
            "xmlns:xsi": WMTSNamespace.xsi,
            "xsi:schemaLocation": WMTSNamespace.ows + " http://schemas.opengis.net/ows/1.1.0/owsExceptionReport.xsd",
            "version": "1.1.0",
            "xml:lang": "en",
        ])
        if let locator {
            xml.open("ows:Exception", ["exceptionCode": code.rawValue, "locator": locator])
        } else {
            xml.open("ows:Exception", ["exceptionCode": code.rawValue])
        }
        xml.element("ows:ExceptionText", message)
        xml.close("ows:Exception")
        xml.close("ows:ExceptionReport")
        return xml.text
    }

    var response: Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/xml; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.accessControlAllowOrigin] = "*"
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: document)))
    }
}

/// XML namespaces of WMTS 1.0.0 documents.
enum WMTSNamespace {
    static let wmts = "http://www.opengis.net/wmts/1.0"
    static let ows = "http://www.opengis.net/ows/1.1"
    static let xlink = "http://www.w3.org/1999/xlink"
    static let xsi = "http://www.w3.org/2001/XMLSchema-instance"
    static let gml = "http://www.opengis.net/gml"
}
