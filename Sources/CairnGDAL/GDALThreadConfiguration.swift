import CGDAL

/// GDAL configuration options set for the calling thread only while a closure runs, so one
/// dataset's settings never leak into another read on another thread.
public enum GDALThreadConfiguration {
    public static func with<T>(_ options: [String: String], _ body: () throws -> T) rethrows -> T {
        GDALLibrary.ensureRegistered()
        var previous: [(String, String?)] = []
        for (key, value) in options.sorted(by: { $0.key < $1.key }) {
            previous.append((key, CPLGetThreadLocalConfigOption(key, nil).map { String(cString: $0) }))
            CPLSetThreadLocalConfigOption(key, value)
        }
        defer { for (key, value) in previous.reversed() { CPLSetThreadLocalConfigOption(key, value) } }
        return try body()
    }
}
