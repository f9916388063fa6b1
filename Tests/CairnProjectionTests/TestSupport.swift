import CairnTestSupport
import CairnCore
import Foundation

/// Paths to fixtures and to the committed data (nothing outside the repository is read).
enum TestPaths {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let fixtures = testsFolder.appendingPathComponent("Fixtures")
    static let repoRoot = testsFolder.deletingLastPathComponent().deletingLastPathComponent()

    /// The ESRI .prj of the VN-2000 / TM-3 105-45 shapefiles (no EPSG code, no TOWGS84). The committed
    /// land-use shapefile carries the same bytes as `hp_districts_vn2000_tm3.prj` of the shared data set.
    static var districtsPrj: URL { repoRoot.appendingPathComponent("data/syn_land_use_vn2000_tm3.prj") }
}

/// Runs PROJ's `cs2cs` command-line tool, the reference the wrapper is checked against.
enum CS2CS {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Transforms `inputs` (in the CRSs' official axis order: lat/lon for EPSG:4326) and
    /// returns the first two output columns of each line.
    static func run(_ source: String, _ target: String, _ inputs: [(Double, Double)], format: String = "%.6f")
        throws -> [(Double, Double)]
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["cs2cs", "-f", format, source, target]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = inputs.map { "\($0.0) \($0.1)\n" }.joined()
        stdin.fileHandleForWriting.write(Data(text.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "cs2cs \(source) \(target) exited with \(process.terminationStatus)")
        }
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
        return try lines.map { line in
            let columns = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard columns.count >= 2, let a = Double(columns[0]), let b = Double(columns[1]) else {
                throw Failure(description: "cs2cs printed '\(line)', expected two numbers")
            }
            return (a, b)
        }
    }
}

/// A small seeded generator so random tests repeat exactly.
typealias SeededGenerator = SplitMix64

/// Reads `WKT,vertex` CSV rows written by `ogr2ogr -f CSV -lco GEOMETRY=AS_WKT` with POINT geometries.
func readPointCSV(_ url: URL) throws -> [(vertex: Int, point: Point)] {
    let text = try String(contentsOf: url, encoding: .utf8)
    return text.split(separator: "\n").dropFirst().compactMap { line in
        guard let open = line.firstIndex(of: "("), let close = line.firstIndex(of: ")") else { return nil }
        let numbers = line[line.index(after: open)..<close].split(separator: " ").compactMap { Double($0) }
        let vertex = line.split(separator: ",").last.flatMap { Int($0.filter(\.isNumber)) } ?? -1
        guard numbers.count == 2 else { return nil }
        return (vertex, Point(numbers[0], numbers[1]))
    }
}

func distance(_ a: Point, _ b: Point) -> Double {
    ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
}
