import CairnTestSupport
import Foundation
import Testing

/// `cairn export`'s refusals and failures, each one `error:` line naming what to do, and its
/// summary. They start `cairn` processes, so they run with `CAIRN_INTEROP=1`.
@Suite(.interop, .serialized)
struct ExportCommandTests {
    /// A folder with a one-layer style served as `tiny` (zooms 0-6) and as `secret` (internal).
    static func folder() throws -> String {
        let folder = try CairnProcess.temporaryFolder()
        try ErrorMessageTests.writeTinyStyle(in: folder)
        let yaml = """
        cache: {directory: cache}
        maps:
          - name: tiny
            style: tiny.json
            maxzoom: 6
          - name: secret
            style: tiny.json
            access: internal
        """
        try yaml.write(toFile: folder + "/cairn.yaml", atomically: true, encoding: .utf8)
        return folder
    }

    static func export(_ arguments: [String], in folder: String) throws -> CairnProcess.Run {
        try CairnProcess.cairn(["export", "--config", "cairn.yaml", "--progress", "none"] + arguments, in: folder)
    }

    static func files(_ folder: String) -> Set<String> {
        Set((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
    }

    /// A PMTiles archive has no access control: an internal map is exported only when asked for
    /// by name, and a refusal renders and writes nothing.
    @Test func anInternalMapIsExportedOnlyWithIncludeInternal() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let refused = try Self.export(["--map", "secret", "--zoom", "0-2", "-o", "secret.pmtiles"], in: folder)
        #expect(refused.status == 1)
        #expect(refused.lines == ["error: the map secret is internal (access: internal); a PMTiles archive has no access control, so anyone who gets "
                                  + "the file or its URL could read every tile. Export it only with --include-internal, and publish the file only "
                                  + "where its readers are allowed to see the map"], "\(refused.output)")
        #expect(Self.files(folder) == ["cairn.yaml", "tiny.json"], "nothing rendered or written")
        let allowed = try Self.export(["--map", "secret", "--zoom", "0-2", "-o", "secret.pmtiles", "--include-internal"], in: folder)
        #expect(allowed.status == 0, "\(allowed.output)")
        #expect(FileManager.default.fileExists(atPath: folder + "/secret.pmtiles"))
    }

    /// 21 identical blank tiles at z0-2: one tile stored, one directory entry (a run of 21).
    @Test func identicalTilesAreStoredOnceAsOneRun() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try Self.export(["--map", "tiny", "--zoom", "0-2", "-o", "tiny.pmtiles"], in: folder)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.lines.last?.hasPrefix("exported 21 tiles (z0-2) to tiny.pmtiles: 0.00 MB, 1 distinct tiles (21.0 tiles per distinct one), 1 directory entries, 0 leaf directories, ") == true,
                "\(run.output)")
        #expect(!Self.files(folder).contains { $0.hasSuffix(".part") || $0.hasSuffix(".spool") })
        let json = try Self.export(["--map", "tiny", "--zoom", "0-2", "-o", "tiny.pmtiles", "--force", "--progress", "json"], in: folder)
        let summary = json.lines.last.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] } ?? [:]
        #expect(summary["event"] as? String == "exported" && summary["tiles"] as? Int == 21 && summary["distinct_tiles"] as? Int == 1
                && summary["entries"] as? Int == 1, "\(json.output)")
    }

    @Test func anExistingFileIsReplacedOnlyWithForce() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "not mine".write(toFile: folder + "/out.pmtiles", atomically: true, encoding: .utf8)
        let refused = try Self.export(["--map", "tiny", "--zoom", "0-1", "-o", "out.pmtiles"], in: folder)
        #expect(refused.status == 1)
        #expect(refused.lines == ["error: out.pmtiles: the file exists; give --force to replace it"], "\(refused.output)")
        #expect(try String(contentsOfFile: folder + "/out.pmtiles", encoding: .utf8) == "not mine")
        let forced = try Self.export(["--map", "tiny", "--zoom", "0-1", "-o", "out.pmtiles", "--force"], in: folder)
        #expect(forced.status == 0, "\(forced.output)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/out.pmtiles")).prefix(7) == Data("PMTiles".utf8))
    }

    @Test func badInputIsNamed() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let zoom = try Self.export(["--map", "tiny", "--zoom", "0-7", "-o", "out.pmtiles"], in: folder)
        #expect(zoom.status == 1)
        #expect(zoom.lines == ["error: --zoom 0-7 is outside the map tiny's zoom levels, 0-6"], "\(zoom.output)")
        let unknown = try Self.export(["--map", "nope", "--zoom", "0-2", "-o", "out.pmtiles"], in: folder)
        #expect(unknown.status != 0)
        #expect(unknown.lines.first == "error: no map named \"nope\"; the configuration has: tiny, secret", "\(unknown.output)")
        let unwritable = try Self.export(["--map", "tiny", "--zoom", "0-2", "-o", "/proc/cairn-nowhere/out.pmtiles"], in: folder)
        #expect(unwritable.status == 1)
        #expect(unwritable.lines == ["error: the PMTiles archive could not be written: /proc/cairn-nowhere/out.pmtiles.part: cannot create the file: No such file or directory"],
                "\(unwritable.output)")
        let format = try Self.export(["--map", "tiny", "--zoom", "0-2", "-o", "out.pmtiles", "--format", "png,pbf"], in: folder)
        #expect(format.status != 0)
        #expect(format.lines.first == "error: --format: give png or pbf (one archive holds one kind of tile)", "\(format.output)")
        #expect(!Self.files(folder).contains { $0.hasPrefix("out.pmtiles") })
    }
}
