import CGDAL
import Foundation

/// Process-wide GDAL set-up, done once before the first dataset is opened.
public enum GDALLibrary {
    private static let registration: Void = {
        // Never reach the network on GDAL's own initiative (e.g. a GML's remote schema); remote
        // sources are decided by Cairn (`"remote": true` and the configuration's allowed hosts).
        CPLSetConfigOption("GML_SKIP_RESOLVE_ELEMS", "ALL")
        CPLSetConfigOption("GDAL_HTTP_TIMEOUT", "30")
        GDALAllRegister()
    }()

    public static func ensureRegistered() { _ = registration }

    /// GDAL's version, e.g. "3.6.2".
    public static var version: String {
        ensureRegistered()
        return GDALVersionInfo("RELEASE_NAME").map { String(cString: $0) } ?? "unknown"
    }
}

extension GDALLibrary {
    /// Whether this GDAL build has the driver `shortName` (e.g. "DGNV8", which needs the ODA libraries).
    public static func hasDriver(_ shortName: String) -> Bool {
        ensureRegistered()
        return GDALGetDriverByName(shortName) != nil
    }
}
