@testable import CairnConfiguration
import CairnTestSupport
import Foundation
import Testing
@testable import CairnEngine

/// A map read through GDAL reloads when any file of its dataset changes: a MapInfo table is four
/// files, MIF/MID two, GML its .xsd too, and a File Geodatabase a folder of them.
@Suite(.interop)
struct OGRWatchedFilesTests {
    @Test(arguments: [OGRFixtures.Format.mapInfoTAB, .mapInfoMIF, .gml, .fileGeodatabase])
    func theMapWatchesEveryFileOfTheDataset(format: OGRFixtures.Format) throws {
        let fixtures = try OGRFixtures.shared.get()
        let style = try TwinStyle.write(data: fixtures.path(format), crs: format.styleCRS, drawing: .districts(labels: false),
                                        in: TestPaths.temporaryFolder(), name: format.rawValue)
        let map = try MapLoader.load(MapConfiguration(name: "watched", stylePath: style))
        let path = fixtures.path(format)
        let expected: Set<String>
        switch format {
        case .mapInfoTAB: expected = Set(["tab", "dat", "map", "id"].map { (path as NSString).deletingPathExtension + "." + $0 })
        case .mapInfoMIF: expected = [path, (path as NSString).deletingPathExtension + ".mid"]
        case .gml: expected = [path, (path as NSString).deletingPathExtension + ".xsd"]
        default: expected = Set(try FileManager.default.contentsOfDirectory(atPath: path).map { path + "/" + $0 })
        }
        #expect(expected.count >= 2)
        #expect(expected.isSubset(of: Set(map.watchedFiles.keys)), "watched: \(map.watchedFiles.keys.sorted())")
    }
}
