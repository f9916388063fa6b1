import HTTPTypes
import Hummingbird

/// The built-in viewer's script and style sheets, compiled into the binary and served as
/// `/assets/viewer.js`, `/assets/viewer.css` and `/assets/ogc.css`, so the viewer, map list and OGC API
/// HTML pages carry no inline code or style and their Content-Security-Policy needs no `unsafe-inline`.
/// Pages link them with `?v=` and the content hash, so a new build is never mixed with a cached old file.
enum ViewerAssets {
    struct Asset: Sendable {
        let body: String
        let contentType: String
        /// Strong validator: FNV-1a of the bytes.
        let etag: String

        init(_ body: String, contentType: String) {
            self.body = body
            self.contentType = contentType
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in body.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
            etag = "\"" + String(hash, radix: 16) + "\""
        }
    }

    /// By file name under `/assets/`.
    static let files: [String: Asset] = [
        "viewer.js": Asset(ViewerPage.viewerJS + "\n" + ViewerPage.vectorJS + "\n", contentType: "text/javascript; charset=utf-8"),
        "viewer.css": Asset(ViewerPage.pageCSS + "\n" + ViewerPage.mapCSS + "\n", contentType: "text/css; charset=utf-8"),
        "ogc.css": Asset(OGCHTMLPage.style, contentType: "text/css; charset=utf-8"),
    ]

    /// The policy of every HTML page but the embed page (which has its own `frame-ancestors`): scripts,
    /// styles and connections only from this server; MapLibre GL JS's workers come from `blob:` URLs.
    /// (MapLibre sets `element.style` from script, which a CSP does not restrict.)
    static let contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        + "worker-src blob:; child-src blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"

    /// `/assets/{name}?v={hash}` for pages to link.
    static func url(_ name: String) -> String {
        let version = files[name].map { String($0.etag.dropFirst().dropLast()) } ?? ""
        return "/assets/" + name + "?v=" + version
    }

    static func register<Context: RequestContext>(in router: Router<Context>) {
        for name in files.keys.sorted() {
            router.get(RouterPath("/assets/" + name)) { request, _ in response(name, request) }
        }
    }

    static func response(_ name: String, _ request: Request) -> Response {
        guard let asset = files[name] else { return Response(status: .notFound) }
        var headers = HTTPFields()
        headers[.eTag] = asset.etag
        headers[.cacheControl] = "public, max-age=86400"
        headers[.xContentTypeOptions] = "nosniff"
        if let ifNoneMatch = request.headers[.ifNoneMatch], TileController<BasicRequestContext>.matches(ifNoneMatch, etag: asset.etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = asset.contentType
        let body = ByteBuffer(string: asset.body)
        headers[.contentLength] = String(body.readableBytes)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }
}
