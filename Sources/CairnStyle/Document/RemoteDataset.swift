/// Remote datasets GDAL could fetch: refused unless a source sets `"remote": true` and the
/// configuration names the host, so a style cannot make the server request arbitrary URLs.
public enum RemoteDataset {
    private static let prefixes = ["/vsicurl/", "/vsicurl_streaming/", "/vsis3/", "/vsigs/", "/vsiaz/", "/vsiadls/",
                                   "/vsioss/", "/vsiswift/", "/vsihdfs/", "/vsiwebhdfs/", "http://", "https://", "ftp://",
                                   "wfs:", "oapif:", "elasticsearch:", "es:", "carto:", "amigocloud:", "plscenes:", "ngw:"]

    /// Whether GDAL would read `location` over the network (or through a virtual file system that can).
    public static func isRemote(_ location: String) -> Bool {
        let lower = location.lowercased()
        if prefixes.contains(where: { lower.hasPrefix($0) }) { return true }
        // Chained virtual file systems (/vsizip//vsicurl/…) reach the network too.
        return lower.contains("/vsicurl") || lower.contains("://")
    }

    /// The path GDAL opens: plain http(s) URLs go through /vsicurl/.
    public static func gdalPath(_ location: String) -> String {
        let lower = location.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") { return "/vsicurl/" + location }
        return location
    }

    /// The host a remote location reaches, lowercased ("data.haiphong.gov.vn"); nil when none can be found.
    public static func host(of location: String) -> String? {
        guard let schemeEnd = location.range(of: "://") else { return nil }
        let rest = location[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostAndPort = authority.split(separator: "@").last.map(String.init) ?? ""
        if hostAndPort.hasPrefix("[") { return hostAndPort.split(separator: "]").first.map { String($0.dropFirst()).lowercased() } }
        let host = hostAndPort.split(separator: ":").first.map(String.init) ?? ""
        return host.isEmpty ? nil : host.lowercased()
    }
}
