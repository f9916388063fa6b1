import Foundation
import CairnTestSupport
import Testing

/// Every example of README.md, run as written against the built `cairn` in a scratch copy of the
/// checkout's `styles/`, `grids/`, `data/` and `cairn.yaml`:
///
/// - each ```` ```sh ```` block runs in one `bash -e` (so an `export` holds for the lines after it) and
///   must exit 0, except the blocks in `skipped`, each with its reason;
/// - each plain ```` ``` ```` block of `$ command` lines (a transcript) runs every command and must
///   print exactly the lines shown under it (standard output and error together), exiting non-zero
///   exactly when those lines hold an `error:`;
/// - the configuration shown under *Configuration* is the checkout's `cairn.yaml`, and every file a
///   ```` ```sh ```` block or transcript names exists.
///
/// They start `cairn` processes, so they run with `CAIRN_INTEROP=1` (as `scripts/test` sets it).
@Suite(.interop, .serialized)
struct ReadmeExamplesTests {
    static let readme = CairnProcess.repositoryRoot.appendingPathComponent("README.md").path

    /// Blocks not run, found by a command they contain, and why.
    static let skipped: [(marker: String, reason: String)] = [
        ("scripts/demo", "installs packages with apt, builds, and serves until stopped (scripts/smoke-release runs the demo's release server)"),
        ("curl -o tile.png", "needs the demo server of the block above, running"),
        ("--admin-port 8081", "starts a server that runs until stopped, then talks to it with job ids it printed"),
        ("curl -N", "streams the running demo server's events until interrupted (EventStreamTests purge and stream the same way in-process)"),
        ("--owner-url postgresql://gis_owner@", "needs the city's PostgreSQL server (tested against a real one by LiveEditTests)"),
        ("scripts/postgis-local standby", "starts PostgreSQL servers in /srv/pg that run until stopped (ReadReplicaTests make a standby the same way, pg_basebackup -R)"),
    ]

    struct Block: CustomStringConvertible {
        var language: String
        var firstLine: Int
        var lines: [String]
        var text: String { lines.joined(separator: "\n") }
        var description: String { "README.md:\(firstLine) (\(language.isEmpty ? "transcript" : language))" }
        var isTranscript: Bool { language.isEmpty && (lines.first?.hasPrefix("$ ") ?? false) }
    }

    static func blocks() throws -> [Block] {
        let lines = try String(contentsOfFile: readme, encoding: .utf8).components(separatedBy: "\n")
        var blocks: [Block] = []
        var current: Block?
        for (index, line) in lines.enumerated() {
            if line.hasPrefix("```") {
                if let block = current {
                    blocks.append(block)
                    current = nil
                } else {
                    current = Block(language: String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces), firstLine: index + 2, lines: [])
                }
            } else if current != nil {
                current!.lines.append(line)
            }
        }
        return blocks
    }

    static func skipReason(_ block: Block) -> String? {
        skipped.first { block.text.contains($0.marker) }?.reason
    }

    /// A scratch checkout: copies of what examples may write beside, a link to the (read-only) data.
    static func sandbox() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-readme-\(UUID().uuidString)").path
        let root = CairnProcess.repositoryRoot.path
        let files = FileManager.default
        try files.createDirectory(atPath: folder + "/tiles-cache", withIntermediateDirectories: true)
        for name in ["styles", "grids", "cairn.yaml"] {
            try files.copyItem(atPath: root + "/" + name, toPath: folder + "/" + name)
        }
        try files.createSymbolicLink(atPath: folder + "/data", withDestinationPath: root + "/data")
        return folder
    }

    /// `bash -e -o pipefail -c script` in `folder`, with the built `cairn` first on PATH.
    static func bash(_ script: String, in folder: String) throws -> CairnProcess.Run {
        try CairnProcess.run("/bin/bash", ["-e", "-o", "pipefail", "-c", script], in: folder)
    }

    @Test func theREADMEHasExamplesAndEverySkipIsStillNeeded() throws {
        let blocks = try Self.blocks()
        let shellBlocks = blocks.filter { $0.language == "sh" }.count
        #expect(shellBlocks >= 4)
        let hasTranscript = blocks.contains { $0.isTranscript }
        #expect(hasTranscript)
        for (marker, _) in Self.skipped {
            let used = blocks.contains { $0.language == "sh" && $0.text.contains(marker) }
            #expect(used, "no README example contains \(marker); drop it from `skipped`")
        }
    }

    @Test func shellExamplesRunAsWritten() throws {
        let folder = try Self.sandbox()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var ran = 0
        for block in try Self.blocks() where block.language == "sh" {
            if let reason = Self.skipReason(block) {
                print("README example \(block): skipped: \(reason)")
                continue
            }
            let run = try Self.bash(block.text, in: folder)
            #expect(run.status == 0, "\(block) exited with \(run.status):\n\(block.text)\n--- output:\n\(run.output)")
            #expect(!run.output.contains("Error:"), "\(block) printed ArgumentParser's `Error:`:\n\(run.output)")
            ran += 1
        }
        #expect(ran >= 3)
    }

    @Test func transcriptsPrintWhatTheREADMEShows() throws {
        let folder = try Self.sandbox()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for block in try Self.blocks() where block.isTranscript {
            // Commands and the lines each one prints.
            var steps: [(command: String, expected: [String])] = []
            for line in block.lines {
                if line.hasPrefix("$ ") { steps.append((String(line.dropFirst(2)), [])) } else if !steps.isEmpty, !line.isEmpty { steps[steps.count - 1].expected.append(line) }
            }
            for (command, expected) in steps {
                let run = try Self.bash(command, in: folder)
                let printed = run.output.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
                #expect(printed == expected, "\(block): `\(command)` printed:\n\(run.output)\nthe README shows:\n\(expected.joined(separator: "\n"))")
                let shouldFail = expected.contains { $0.hasPrefix("error:") }
                #expect((run.status != 0) == shouldFail, "\(block): `\(command)` exited with \(run.status)")
            }
        }
    }

    @Test func theConfigurationShownIsTheCheckoutsCairnYAML() throws {
        let blocks = try Self.blocks()
        let shown = try #require(blocks.first { $0.language == "yaml" && ($0.lines.first ?? "").hasPrefix("# cairn.yaml") })
        let file = try String(contentsOfFile: CairnProcess.repositoryRoot.appendingPathComponent("cairn.yaml").path, encoding: .utf8)
        #expect(shown.text + "\n" == file, "README.md:\(shown.firstLine) differs from cairn.yaml")
    }

    @Test func everyFileTheExamplesNameExists() throws {
        let root = CairnProcess.repositoryRoot.path
        // Paths the examples read: options taking a file, and the files of the configuration.
        let pattern = try NSRegularExpression(pattern: #"(?:--(?:style|config|area|keys-file)\s+|file:\s+|style:\s+)((?:styles|data|grids)/[\w./-]+|cairn\.yaml)"#)
        var named: Set<String> = []
        for block in try Self.blocks() where ["sh", "yaml", ""].contains(block.language) && Self.skipReason(block) == nil {
            let text = block.text
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                if let range = Range(match.range(at: 1), in: text) { named.insert(String(text[range])) }
            }
        }
        #expect(named.contains("styles/broken.json"))
        #expect(named.contains("grids/haiphong-utm48.json"))
        for path in named.sorted() {
            #expect(FileManager.default.fileExists(atPath: root + "/" + path), "the README names \(path), which is not in the checkout")
        }
    }
}
