import Foundation
import Testing
import CairnTestSupport

/// `cairn bench --load-only`, which scripts/bench uses to compare the native readers with GDAL/OGR.
struct BenchCommandTests {
    typealias CLI = CommandLineTests

    /// scripts/bench-ogr-style.json on the demo GeoPackage, read natively or with `"format": "ogr"`.
    func benchStyle(throughOGR: Bool) throws -> String {
        let template = CLI.repositoryRoot.appendingPathComponent("scripts/bench-ogr-style.json")
        var text = try String(contentsOf: template, encoding: .utf8)
        let gpkg = CLI.repositoryRoot.appendingPathComponent("data/hai_phong_demo.gpkg").path
        text = text.replacingOccurrences(of: "\"url\": \"../data/hai_phong_demo.gpkg\"",
                                          with: "\"url\": \"\(gpkg)\"" + (throughOGR ? ", \"format\": \"ogr\"" : ""))
        let path = CLI.temporary(throughOGR ? "bench-ogr.json" : "bench-native.json")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func loadOnlyReadsTheSameFeaturesNativelyAndThroughOGR() throws {
        var counts: [[String: Int]] = []
        for throughOGR in [false, true] {
            let json = CLI.temporary("load.json")
            let run = try CLI.cairn(["bench", "--load-only", "--style", try benchStyle(throughOGR: throughOGR), "--repeat", "2", "--json", json])
            #expect(run.status == 0, "\(run.output)")
            #expect(run.output.contains("cairn load: 2 layers, 14609 features;"), "\(run.output)")
            let figures = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
            #expect((figures["load_seconds_runs"] as? [Double])?.count == 2)
            #expect((figures["load_seconds_median"] as? Double).map { $0 > 0 } == true)
            let layers = try #require(figures["layers"] as? [String: Any])
            counts.append(layers.compactMapValues { ($0 as? NSNumber)?.intValue })
        }
        #expect(counts[0] == ["hp_districts": 15, "syn_buildings": 14594])
        #expect(counts[1] == counts[0])
    }

    @Test func renderingStillNeedsAnArea() throws {
        let run = try CLI.cairn(["bench", "--style", try benchStyle(throughOGR: false)])
        #expect(run.status != 0)
        #expect(run.output.contains("--bbox"), "\(run.output)")
    }
}
