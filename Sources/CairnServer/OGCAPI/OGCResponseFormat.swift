import CairnEngine
import Hummingbird

/// JSON or HTML for an OGC API resource: `?f=json|html` wins; otherwise HTML only when the
/// Accept header ranks text/html above application/json (browsers), JSON for everything else.
enum OGCResponseFormat: Sendable, Equatable {
    case json
    case html

    /// - Throws: `EngineError(.badRequest)` for an `f` other than json or html.
    init(_ request: Request) throws {
        if let f = request.uri.queryParameters["f"] {
            switch f.lowercased() {
            case "json", "application/json": self = .json
            case "html", "text/html": self = .html
            default: throw EngineError(.badRequest, "unsupported format; expected f=json or f=html")
            }
            return
        }
        let accept = request.headers[.accept] ?? ""
        self = Self.quality(of: "text/html", in: accept) > Self.quality(of: "application/json", in: accept) ? .html : .json
    }

    /// The q-value the Accept header gives `mediaType`, by its most specific matching range.
    static func quality(of mediaType: String, in accept: String) -> Double {
        let type = mediaType.split(separator: "/").first.map(String.init) ?? ""
        var best: (specificity: Int, q: Double) = (-1, 0)
        for entry in accept.split(separator: ",") {
            let parts = entry.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let range = parts.first else { continue }
            let specificity: Int
            if range == mediaType { specificity = 2 } else if range == type + "/*" { specificity = 1 } else if range == "*/*" { specificity = 0 } else { continue }
            var q = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                q = Double(parameter.dropFirst(2)).map { min(max($0, 0), 1) } ?? 1
            }
            if specificity > best.specificity { best = (specificity, q) }
        }
        return max(best.q, 0)
    }
}
