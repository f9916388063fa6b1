import Foundation
import HTTPTypes
import Hummingbird

/// The built-in pages' scripts and style sheets (`Resources/`, compiled into the SwiftPM resource
/// bundle), served as `/assets/viewer.js`, `/assets/viewer.css`, `/assets/ogc.css`, `/assets/embed.js`
/// and `/assets/embed.css`, so the viewer, map list, embed and OGC API HTML pages carry no inline
/// code or style and their Content-Security-Policy needs no `unsafe-inline`. Pages link them with
/// `?v=` and the content hash, so a new build is never mixed with a cached old file.
enum ViewerAssets {
    struct Asset: Sendable {
        let body: [UInt8]
        let contentType: String
        /// Strong validator: FNV-1a of the bytes.
        let etag: String

        init(_ body: [UInt8], contentType: String) {
            self.body = body
            self.contentType = contentType
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in body { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
            etag = "\"" + String(hash, radix: 16) + "\""
        }
    }

    /// By file name under `/assets/`. Read once; the server is built with them (`register`), so a
    /// binary whose resource bundle is missing stops at start-up rather than on the first page.
    static let files: [String: Asset] = {
        let types = ["js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8"]
        var files: [String: Asset] = [:]
        for name in ["viewer.js", "viewer.css", "ogc.css", "embed.js", "embed.css"] {
            let dot = name.lastIndex(of: ".")!
            let stem = String(name[..<dot]), ext = String(name[name.index(after: dot)...])
            guard let url = Bundle.module.url(forResource: stem, withExtension: ext, subdirectory: "Resources"), let data = FileManager.default.contents(atPath: url.path) else {
                fatalError("\(name) is missing from Cairn's resource bundle (\(Bundle.module.bundlePath)); install the bundle next to the binary")
            }
            files[name] = Asset(Array(data), contentType: types[ext]!)
        }
        return files
    }()

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

    static func register(in routes: GuardedRouter) {
        for name in files.keys.sorted() {
            routes.get(RouterPath("/assets/" + name), access: .open) { request, _ in response(name, request) }
        }
    }

    static func response(_ name: String, _ request: Request) -> Response {
        guard let asset = files[name] else { return Response(status: .notFound) }
        var headers = HTTPFields()
        headers[.eTag] = asset.etag
        headers[.cacheControl] = "public, max-age=86400"
        headers[.xContentTypeOptions] = "nosniff"
        if let ifNoneMatch = request.headers[.ifNoneMatch], TileController.matches(ifNoneMatch, etag: asset.etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = asset.contentType
        let body = ByteBuffer(bytes: asset.body)
        headers[.contentLength] = String(body.readableBytes)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }
}
