import CairnAccess
import Foundation
import Yams

/// `auth:` and the per-map access settings. Secrets are never read from the YAML itself:
/// only the names of environment variables or files holding them.
extension ConfigurationReader {
    mutating func readAuth(_ node: Node, baseDirectory: String) -> AuthSettings {
        var auth = AuthSettings()
        guard let mapping = node.mapping else {
            problem(node, "auth", "expected a mapping with keys_file, jwt, signing and audit_log")
            return auth
        }
        checkKeys(mapping, allowed: ["keys_file", "jwt", "signing", "audit_log", "embed_max_lifetime"], at: "auth")
        if let value = mapping["embed_max_lifetime"] {
            if let seconds = value.int, seconds >= 60, Double(seconds) <= URLSigner.longestEmbedMaxLifetime { auth.embedMaxLifetime = Double(seconds) }
            else { problem(value, "auth.embed_max_lifetime", "expected seconds from 60 to \(Int(URLSigner.longestEmbedMaxLifetime)) (366 days), e.g. 2592000 for 30 days") }
        }
        if let value = mapping["keys_file"] {
            if let text = value.string, !text.isEmpty { auth.keysFile = resolve(text, against: baseDirectory) }
            else { problem(value, "auth.keys_file", "expected the path of the API keys file, e.g. keys.yaml") }
        }
        if let value = mapping["audit_log"] {
            if let text = value.string, !text.isEmpty { auth.auditLog = resolve(text, against: baseDirectory) }
            else { problem(value, "auth.audit_log", "expected the path of the audit log file, e.g. audit.jsonl") }
        }
        if let value = mapping["signing"] {
            auth.signingSecret = readSecret(value, path: "auth.signing", baseDirectory: baseDirectory)
        }
        if let value = mapping["jwt"] {
            auth.jwt = readJWT(value, baseDirectory: baseDirectory)
        }
        return auth
    }

    /// `{secret_env: NAME}` or `{secret_file: PATH}`.
    mutating func readSecret(_ node: Node, path: String, baseDirectory: String) -> AuthSettings.Secret? {
        guard let mapping = node.mapping else {
            problem(node, path, "expected {secret_env: VARIABLE} or {secret_file: PATH}; secrets are never written in the configuration")
            return nil
        }
        checkKeys(mapping, allowed: ["secret_env", "secret_file"], at: path)
        switch (mapping["secret_env"], mapping["secret_file"]) {
        case (let env?, nil):
            if let name = env.string, !name.isEmpty { return .environment(name) }
            problem(env, path + ".secret_env", "expected the name of an environment variable")
        case (nil, let file?):
            if let text = file.string, !text.isEmpty { return .file(resolve(text, against: baseDirectory)) }
            problem(file, path + ".secret_file", "expected the path of a file holding the secret")
        default:
            problem(node, path, "expected exactly one of secret_env and secret_file")
        }
        return nil
    }

    mutating func readJWT(_ node: Node, baseDirectory: String) -> JWTSettings? {
        guard let mapping = node.mapping else {
            problem(node, "auth.jwt", "expected a mapping with audience, keys, max_lifetime and leeway")
            return nil
        }
        checkKeys(mapping, allowed: ["audience", "issuer", "keys", "max_lifetime", "leeway"], at: "auth.jwt")
        var settings = JWTSettings(audience: "", keys: [])
        if let value = mapping["audience"], let text = value.string, !text.isEmpty { settings.audience = text }
        else { problem(mapping["audience"] ?? node, "auth.jwt.audience", "missing; expected the `aud` tokens must carry, e.g. cairn-tiles") }
        if let value = mapping["issuer"] {
            if let text = value.string, !text.isEmpty { settings.issuer = text } else { problem(value, "auth.jwt.issuer", "expected text") }
        }
        if let value = mapping["max_lifetime"] {
            if let seconds = value.int, (1...JWTSettings.maximumLifetime).contains(seconds) { settings.maxLifetime = seconds }
            else { problem(value, "auth.jwt.max_lifetime", "expected seconds from 1 to \(JWTSettings.maximumLifetime), got \(describe(value))") }
        }
        if let value = mapping["leeway"] {
            if let seconds = value.int, (0...JWTSettings.maximumLeeway).contains(seconds) { settings.leeway = seconds }
            else { problem(value, "auth.jwt.leeway", "expected seconds from 0 to \(JWTSettings.maximumLeeway), got \(describe(value))") }
        }
        guard let keys = mapping["keys"]?.sequence, !keys.isEmpty else {
            problem(mapping["keys"] ?? node, "auth.jwt.keys", "expected a list of {kid, alg, secret_env|secret_file|public_key_file}")
            return settings
        }
        var kids: Set<String> = []
        for (index, item) in keys.enumerated() {
            let path = "auth.jwt.keys[\(index)]"
            guard let entry = item.mapping else { problem(item, path, "expected {kid, alg, …}"); continue }
            checkKeys(entry, allowed: ["kid", "alg", "secret_env", "secret_file", "public_key_file"], at: path)
            guard let kid = entry["kid"]?.string, !kid.isEmpty else { problem(entry["kid"] ?? item, path + ".kid", "missing; expected the key id tokens name in their `kid` header"); continue }
            if !kids.insert(kid).inserted { problem(entry["kid"], path + ".kid", "duplicate kid \(kid)") }
            guard let algText = entry["alg"]?.string, let algorithm = JWTSettings.Key.Algorithm(rawValue: algText) else {
                problem(entry["alg"] ?? item, path + ".alg", "expected HS256, RS256 or ES256"); continue
            }
            let material: JWTSettings.Key.Material
            switch (algorithm, entry["secret_env"], entry["secret_file"], entry["public_key_file"]) {
            case (.hs256, let env?, nil, nil):
                guard let name = env.string, !name.isEmpty else { problem(env, path + ".secret_env", "expected a variable name"); continue }
                material = .secretEnvironment(name)
            case (.hs256, nil, let file?, nil):
                guard let text = file.string, !text.isEmpty else { problem(file, path + ".secret_file", "expected a path"); continue }
                material = .secretFile(resolve(text, against: baseDirectory))
            case (.rs256, nil, nil, let file?), (.es256, nil, nil, let file?):
                guard let text = file.string, !text.isEmpty else { problem(file, path + ".public_key_file", "expected a path"); continue }
                let resolved = resolve(text, against: baseDirectory)
                if !FileManager.default.fileExists(atPath: resolved) {
                    problem(file, path + ".public_key_file", "file not found: \(text) (looked for \(resolved))"); continue
                }
                material = .publicKeyFile(resolved)
            case (.hs256, _, _, _):
                problem(item, path, "HS256 needs exactly one of secret_env and secret_file (and no public_key_file)"); continue
            default:
                problem(item, path, "\(algorithm.rawValue) needs public_key_file (a PEM public key) and no secret"); continue
            }
            settings.keys.append(JWTSettings.Key(kid: kid, algorithm: algorithm, material: material))
        }
        return settings
    }

    /// A list of web origins: `https://host[:port]`, lowercase, no path.
    mutating func readOrigins(_ node: Node, path: String) -> [String]? {
        let values = node.sequence?.compactMap { $0.string } ?? []
        guard let sequence = node.sequence, values.count == sequence.count else {
            problem(node, path, "expected a list of origins such as https://portal.example")
            return nil
        }
        for (index, value) in values.enumerated() where !WebOrigin.isValid(value) {
            problem(sequence[index], path + "[\(index)]", "expected an origin such as https://portal.example (scheme, host, optional port; no path), got \"\(value)\"")
            return nil
        }
        return values
    }
}

/// Web origins as CORS and CSP use them.
public enum WebOrigin {
    /// `http(s)://host[:port]` in lowercase: letters, digits, `.`, `-`, optional `:port`; nothing else,
    /// so an origin is safe inside headers and Content-Security-Policy.
    public static func isValid(_ text: String) -> Bool {
        let rest: Substring
        if text.hasPrefix("https://") { rest = text.dropFirst(8) } else if text.hasPrefix("http://") { rest = text.dropFirst(7) } else { return false }
        guard !rest.isEmpty, rest.utf8.count <= 253 else { return false }
        let pieces = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard pieces.count <= 2, let host = pieces.first, !host.isEmpty,
              host.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D }) else { return false }
        if pieces.count == 2 {
            guard let port = Int(pieces[1]), (1...65535).contains(port), String(port) == pieces[1] else { return false }
        }
        return true
    }
}
