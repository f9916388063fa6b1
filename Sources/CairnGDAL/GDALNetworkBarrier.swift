import CGDAL

/// Keeps GDAL off the network while a local dataset is read on this thread. A local file can name
/// remote data itself (a .vrt's `<SrcDataSource>http://…`, `/vsicurl/…` inside a VRT or a GML), so
/// refusing remote *paths* in the style is not enough: the two ways GDAL fetches are closed here.
/// - `/vsicurl/` and the cloud file systems built on it accept only `CPL_VSIL_CURL_ALLOWED_FILENAME`,
///   set (for this thread only) to a name no dataset has.
/// - every other request (GeoJSON, WFS, GML schemas…) goes through `CPLHTTPFetch`, whose per-thread
///   callback answers with an error instead of reaching the network.
/// Both are per thread, so a remote source read on another thread at the same time is not affected.
public enum GDALNetworkBarrier {
    /// What GDAL reports when a local dataset tries to reach the network.
    public static let refusal = "Cairn refuses network access from a local dataset; a source reads remote data only with \"remote\": true and a host in the configuration's remote_hosts:"

    private static let unreachableFilename = "/vsicurl/cairn-local-datasets-do-not-reach-the-network"

    /// Runs `body` with GDAL's network access refused on this thread.
    public static func refusingNetwork<T>(_ body: () throws -> T) rethrows -> T {
        GDALLibrary.ensureRegistered()
        CPLHTTPPushFetchCallback(refuseRequest, nil)
        defer { CPLHTTPPopFetchCallback() }
        return try GDALThreadConfiguration.with(["CPL_VSIL_CURL_ALLOWED_FILENAME": unreachableFilename], body)
    }
    /// Answers every `CPLHTTPFetch` with an error (a C callback: it captures nothing).
    private static let refuseRequest: CPLHTTPFetchCallbackFunc = { url, _, _, _, _, _, _ in
        // The result is freed by GDAL with CPLHTTPDestroyResult, so it is allocated with CPL's allocator.
        guard let raw = CPLCalloc(1, MemoryLayout<CPLHTTPResult>.size) else { return nil }
        let result = raw.assumingMemoryBound(to: CPLHTTPResult.self)
        result.pointee.nStatus = 1
        let message = "\(refusal) (\(url.map { String(cString: $0) } ?? "a URL"))"
        result.pointee.pszErrBuf = CPLStrdup(message)
        // Some drivers only look at nStatus: say why in GDAL's log too, so the error quotes it.
        message.withCString { text in
            withVaList([text]) { CPLErrorV(CE_Failure, CPLErrorNum(CPLE_AppDefined), "%s", $0) }
        }
        return result
    }
}
