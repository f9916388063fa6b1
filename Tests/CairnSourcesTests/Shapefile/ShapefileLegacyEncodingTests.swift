import CairnCore
import CairnSources
import CairnTestSupport
import Foundation
import Testing

/// Old Vietnamese shapefiles hold TCVN3 or VNI text and say nothing about it (or say windows-1252):
/// the encoding a style names wins over the .cpg and the language driver.
@Suite struct ShapefileLegacyEncodingTests {
    static let names = ["Hải Phòng", "Đồ Sơn", "Thủy Nguyên", "Bạch Long Vĩ", "Kiến Thụy", "Dương Kinh"]

    @Test(arguments: [LegacyTextEncoding.tcvn3, .vni])
    func styleEncodingOverridesTheCPG(encoding: LegacyTextEncoding) throws {
        let encode = encoding == .tcvn3 ? VietnameseLegacyEncoder.tcvn3 : VietnameseLegacyEncoder.vni
        let shp = try Self.writePoints(names: Self.names.map(encode), cpg: "1252")

        let decoded = try ShapefileReader(path: shp, encoding: encoding).read(LayerQuery()).features
        #expect(decoded.count == Self.names.count)
        for (feature, name) in zip(decoded, Self.names) {
            guard case .string(let text) = feature.properties["TEN"] else {
                Issue.record("TEN is \(String(describing: feature.properties["TEN"]))")
                continue
            }
            #expect(text.unicodeScalars.map(\.value) == name.precomposedStringWithCanonicalMapping.unicodeScalars.map(\.value),
                    "\"\(text)\" is not \"\(name)\"")
        }

        // Without it the .cpg decides, and the names come out as windows-1252 gibberish.
        let guessed = try ShapefileReader(path: shp).read(LayerQuery()).features
        #expect(guessed.first?.properties["TEN"] != .string(Self.names[0]))
    }

    /// A point shapefile (no .shx: the reader walks the records) with one text field TEN holding
    /// `names` as raw bytes, language driver 0x57 (ANSI) and the given .cpg.
    static func writePoints(names: [[UInt8]], cpg: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-legacy-shp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let base = directory.appendingPathComponent("names")

        var shp = ByteWriter()
        let recordBytes = 8 + 20
        shp.int32BE(9994)
        for _ in 0..<5 { shp.int32BE(0) }
        shp.int32BE(Int32((100 + recordBytes * names.count) / 2))
        shp.int32LE(1000)
        shp.int32LE(1) // Point
        for value in [106.6, 20.7, 106.6 + Double(names.count) * 0.01, 20.7, 0, 0, 0, 0] { shp.doubleLE(value) }
        for index in names.indices {
            shp.int32BE(Int32(index + 1))
            shp.int32BE(10)
            shp.int32LE(1)
            shp.doubleLE(106.6 + Double(index) * 0.01)
            shp.doubleLE(20.7)
        }
        try Data(shp.bytes).write(to: base.appendingPathExtension("shp"))

        let width = 40
        var dbf = ByteWriter()
        dbf.bytes += [0x03, 126, 12, 5]
        dbf.int32LE(Int32(names.count))
        dbf.int16LE(UInt16(32 + 32 + 1))
        dbf.int16LE(UInt16(1 + width))
        dbf.bytes += [UInt8](repeating: 0, count: 17) + [0x57, 0, 0]
        dbf.bytes += Array("TEN".utf8) + [UInt8](repeating: 0, count: 8) + [UInt8(ascii: "C"), 0, 0, 0, 0]
        dbf.bytes += [UInt8(width), 0] + [UInt8](repeating: 0, count: 14)
        dbf.bytes.append(0x0D)
        for name in names {
            precondition(name.count <= width)
            dbf.bytes += [0x20] + name + [UInt8](repeating: 0x20, count: width - name.count)
        }
        dbf.bytes.append(0x1A)
        try Data(dbf.bytes).write(to: base.appendingPathExtension("dbf"))
        try Data(cpg.utf8).write(to: base.appendingPathExtension("cpg"))
        return base.appendingPathExtension("shp").path
    }

    struct ByteWriter {
        var bytes: [UInt8] = []
        mutating func int32BE(_ value: Int32) { withUnsafeBytes(of: value.bigEndian) { bytes += $0 } }
        mutating func int32LE(_ value: Int32) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        mutating func int16LE(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        mutating func doubleLE(_ value: Double) { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
    }
}
