import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnCache

/// Archives written by `PMTilesWriter` read by the Protomaps reference reader (PyPI `pmtiles`,
/// pinned in `.build/pmtiles-python` by scripts/install-deps), leaf directories included: the
/// CLI tests' exports are too small to need leaves.
@Suite(.interop)
struct PMTilesReferenceReaderTests {
    static let python = TestTier.repositoryRoot.appendingPathComponent(".build/pmtiles-python/bin/python").path

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: python), "run scripts/install-deps (it makes .build/pmtiles-python)"))
    func readsEveryTileThroughLeafDirectories() throws {
        let folder = try PMTilesWriterTests.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/leaves.pmtiles"
        let writer = try PMTilesWriter(path: path, overwrite: false)
        var random = SplitMix64(seed: 9)
        // z8 everywhere: a third sea (one shared tile), the rest distinct and of random lengths.
        for x in 0..<256 {
            for y in 0..<256 {
                let data = random.next() % 3 == 0 ? Array("sea".utf8)
                    : Array("\(x)/\(y)".utf8) + [UInt8](repeating: 0x2E, count: Int(random.next() % 100))
                try writer.add(TileCoordinate(z: 8, x: x, y: y), data: data)
            }
        }
        let summary = try writer.finish(PMTilesWriterTests.description(#"{"name":"leaves","vector_layers":[]}"#))
        #expect(summary.leafDirectories > 1)
        let script = #"""
            import json, sys
            from pmtiles.reader import Reader, MmapSource, all_tiles
            with open(sys.argv[1], "rb") as f:
                reader = Reader(MmapSource(f))
                count, wrong = 0, []
                for (z, x, y), data in all_tiles(reader.get_bytes):
                    count += 1
                    if data != b"sea" and not data.startswith(f"{x}/{y}".encode()):
                        wrong.append(f"{z}/{x}/{y}")
                header = {k: (v.value if hasattr(v, "value") else v) for k, v in reader.header().items()}
                print(json.dumps({"count": count, "wrong": wrong[:10], "header": header, "name": reader.metadata().get("name"),
                                  "lookup": reader.get(8, 200, 17) is not None and reader.get(9, 0, 0) is None}))
            """#
        let output = try ExternalProgram.run(Self.python, ["-c", script, path])
        let result = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] ?? [:]
        #expect(result["count"] as? Int == 65_536)
        #expect(result["wrong"] as? [String] == [])
        #expect(result["name"] as? String == "leaves")
        #expect(result["lookup"] as? Bool == true)
        let header = result["header"] as? [String: Any] ?? [:]
        #expect(header["leaf_directory_length"] as? Int == summary.leafDirectoryBytes)
        #expect(header["tile_entries_count"] as? Int == summary.tileEntries && header["tile_contents_count"] as? Int == summary.tileContents)
    }
}
