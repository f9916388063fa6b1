import CairnGDAL
import Foundation

/// Why GDAL could not open a file when GDAL itself gives no reason (its drivers all declined it):
/// recognises the formats departments deliver that this GDAL cannot read.
enum OGRUnreadableFile {
    /// OLE2 / Compound File Binary, the container of MicroStation V8 DGN files.
    private static let compoundFileSignature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    static func explanation(for path: String) -> String? {
        guard path.lowercased().hasSuffix(".dgn"), let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: compoundFileSignature.count)).map { [UInt8]($0) } ?? []
        guard header == compoundFileSignature else { return nil }
        if GDALLibrary.hasDriver("DGNV8") { return nil }
        return "it is a MicroStation V8 DGN (an OLE2 compound file); GDAL's DGN driver reads only V7 (ISFF) files and this GDAL has no DGNv8 driver (it needs the ODA libraries): save the drawing as V7 in MicroStation, or convert it to another format"
    }
}
