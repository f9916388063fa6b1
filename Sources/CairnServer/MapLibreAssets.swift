import CairnZlib
import Foundation
import Synchronization

/// MapLibre GL JS (`maplibre-gl.js` and `maplibre-gl.css`) for the viewer's vector mode, read once
/// from a folder that `scripts/fetch-maplibre` fills (it is third-party code, never committed).
/// The folder is the one given (`cairn serve --maplibre-dir`), else `CAIRN_MAPLIBRE_DIR`, else
/// `.build/web/maplibre` in the working directory or in the checkout the binary was built in.
public struct MapLibreAssets: Sendable {
    public struct File: Sendable {
        let contentType: String
        let data: [UInt8]
        let gzipped: [UInt8]
        let etag: String
    }

    /// By URL name (`maplibre-gl.js`, `maplibre-gl.css`); empty when MapLibre is not installed.
    let files: [String: File]
    /// Why the vector mode is off, for the viewer; nil when the files are there.
    public let unavailableReason: String?

    public static let environmentVariable = "CAIRN_MAPLIBRE_DIR"
    static let names = ["maplibre-gl.js": "text/javascript; charset=utf-8", "maplibre-gl.css": "text/css; charset=utf-8"]

    /// Loads the files from `directory`, or from the first folder found as described above.
    public init(directory: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                workingDirectory: String = FileManager.default.currentDirectoryPath,
                executablePath: String = CommandLine.arguments.first ?? "") {
        let candidates: [String]
        if let directory {
            candidates = [directory]
        } else if let configured = environment[Self.environmentVariable], !configured.isEmpty {
            candidates = [configured]
        } else {
            candidates = ([workingDirectory] + Self.checkoutRoots(of: executablePath)).map { $0 + "/.build/web/maplibre" }
        }
        guard let folder = candidates.first(where: { FileManager.default.fileExists(atPath: $0 + "/maplibre-gl.js") }) else {
            files = [:]
            unavailableReason = "MapLibre GL JS is not installed on this server (run scripts/fetch-maplibre)"
            return
        }
        if let loaded = Self.loaded.withLock({ $0[folder] }) {
            self = loaded
            return
        }
        var files: [String: File] = [:]
        for (name, contentType) in Self.names {
            guard let data = FileManager.default.contents(atPath: folder + "/" + name) else { continue }
            let bytes = [UInt8](data)
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
            files[name] = File(contentType: contentType, data: bytes, gzipped: (try? Zlib.gzip(bytes, level: 9)) ?? [],
                               etag: "\"" + String(hash, radix: 16) + "\"")
        }
        self.files = files
        unavailableReason = files.count == Self.names.count ? nil : "MapLibre GL JS is incomplete in \(folder) (run scripts/fetch-maplibre)"
        let assets = self
        Self.loaded.withLock { $0[folder] = assets }
    }

    /// Files already read (and compressed), by folder: a process reads them once however many routers it builds.
    private static let loaded = Mutex<[String: MapLibreAssets]>([:])

    public var isAvailable: Bool { unavailableReason == nil }

    /// `.build/debug/cairn` lives three folders below the checkout; test bundles one more.
    static func checkoutRoots(of executablePath: String) -> [String] {
        guard !executablePath.isEmpty else { return [] }
        var url = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath()
        var roots: [String] = []
        for _ in 0..<6 {
            url.deleteLastPathComponent()
            roots.append(url.path)
        }
        return roots
    }
}
