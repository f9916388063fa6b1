import Foundation
import Yams

/// The keys file (`keys_file:` in the configuration): a YAML document `keys: [...]` of
/// `APIKeyRecord`s. `cairn keys` appends and revokes; the server reads it.
public enum KeyFile {
    struct Document: Codable {
        var keys: [APIKeyRecord]
    }

    static let header = "# Cairn API keys. Only SHA-256 hashes are stored; manage with `cairn keys create|list|revoke`.\n"

    /// The records in `path`; a missing file means no keys yet.
    public static func read(_ path: String) throws(AccessError) -> [APIKeyRecord] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw AccessError(.configuration, "keys file \(path): cannot be read as UTF-8 text")
        }
        if text.split(separator: "\n").allSatisfy({ $0.hasPrefix("#") || $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            return []
        }
        do {
            let document = try YAMLDecoder().decode(Document.self, from: text)
            var seen: Set<String> = []
            for record in document.keys where !seen.insert(record.id).inserted {
                throw AccessError(.configuration, "keys file \(path): duplicate key id \(record.id)")
            }
            return document.keys
        } catch let error as AccessError {
            throw error
        } catch {
            throw AccessError(.configuration, "keys file \(path): expected `keys:` with a list of {id, hash, maps, created, expires?, revoked?}: \(error)")
        }
    }

    /// Replaces the file's contents atomically (write beside it, then rename), mode 0600.
    public static func write(_ records: [APIKeyRecord], to path: String) throws(AccessError) {
        do {
            let yaml = try YAMLEncoder().encode(Document(keys: records))
            let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
            guard FileManager.default.createFile(atPath: temporary, contents: Data((header + yaml).utf8),
                                                 attributes: [.posixPermissions: 0o600]) else {
                throw AccessError(.configuration, "keys file \(path): cannot write \(temporary)")
            }
            if rename(temporary, path) != 0 {
                try? FileManager.default.removeItem(atPath: temporary)
                throw AccessError(.configuration, "keys file \(path): cannot replace the file")
            }
        } catch let error as AccessError {
            throw error
        } catch {
            throw AccessError(.configuration, "keys file \(path): cannot encode the keys: \(error)")
        }
    }

    /// Creates a key for `maps`, appends its record, and returns the key (to show once).
    public static func create(at path: String, maps: [String], origins: [String]? = nil, expires: Date? = nil,
                              note: String? = nil, now: Date = Date()) throws(AccessError) -> (key: String, record: APIKeyRecord) {
        var records = try read(path)
        var made = APIKey.generate(maps: maps, origins: origins, expires: expires, note: note, now: now)
        while records.contains(where: { $0.id == made.record.id }) {
            made = APIKey.generate(maps: maps, origins: origins, expires: expires, note: note, now: now)
        }
        records.append(made.record)
        try write(records, to: path)
        return made
    }

    /// Marks key `id` revoked (kept in the file, so its id stays taken and listings show it).
    @discardableResult
    public static func revoke(at path: String, id: String, now: Date = Date()) throws(AccessError) -> APIKeyRecord {
        var records = try read(path)
        guard let index = records.firstIndex(where: { $0.id == id }) else {
            throw AccessError(.configuration, "keys file \(path): no key with id \(id)")
        }
        if records[index].revoked == nil { records[index].revoked = now }
        try write(records, to: path)
        return records[index]
    }
}
