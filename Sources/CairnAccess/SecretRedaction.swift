/// Removes credentials from text that may be logged: URLs and query strings.
public enum SecretRedaction {
    /// Query parameter names whose values are secrets.
    public static let secretParameters: Set<String> = ["key", "token", "sig", "access_token", "api_key", "apikey"]

    /// `/maps/x/1/2/3.png?token=abc&v=2` → `/maps/x/1/2/3.png?token=REDACTED&v=2`. Names are
    /// matched case-insensitively; everything after a second `?` is treated as query too.
    public static func redact(url: String) -> String {
        guard let question = url.firstIndex(of: "?") else { return url }
        let path = url[..<question]
        let query = url[url.index(after: question)...]
        let pairs = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            let cleaned = pair.replacingOccurrences(of: "?", with: "&")
            return cleaned.split(separator: "&", omittingEmptySubsequences: false).map { part -> String in
                guard let equals = part.firstIndex(of: "=") else { return String(part) }
                let name = part[..<equals]
                return secretParameters.contains(name.lowercased()) ? name + "=REDACTED" : String(part)
            }.joined(separator: "&")
        }
        return path + "?" + pairs.joined(separator: "&")
    }
}
