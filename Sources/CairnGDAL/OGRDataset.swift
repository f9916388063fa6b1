import CGDAL

/// An open GDAL vector dataset. Not Sendable: a dataset is used and closed on the thread that
/// opened it (GDAL datasets are not thread-safe).
public final class OGRDataset {
    let handle: GDALDatasetH
    /// The path as given to GDAL.
    public let path: String

    /// Opens `path` read-only as a vector dataset.
    /// - Parameters:
    ///   - openOptions: the driver's open options (`X_POSSIBLE_NAMES=lon`, …).
    ///   - log: where GDAL's messages go; its failure text becomes the error.
    public init(path: String, openOptions: [String: String] = [:], log: GDALErrorLog) throws(GDALError) {
        GDALLibrary.ensureRegistered()
        var list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
        for (key, value) in openOptions.sorted(by: { $0.key < $1.key }) {
            list = CSLSetNameValue(list, key, value)
        }
        defer { CSLDestroy(list) }
        let options = list.map { UnsafeRawPointer($0).assumingMemoryBound(to: UnsafePointer<CChar>?.self) }
        let flags = UInt32(GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR)
        guard let handle = GDALOpenEx(path, flags, nil, options, nil) else {
            throw GDALError(.cannotOpen, log.failureText ?? "GDAL has no driver that reads this file")
        }
        self.handle = handle
        self.path = path
    }

    deinit { GDALClose(handle) }

    /// The GDAL driver's short name, e.g. "MapInfo File", "DGN", "OpenFileGDB".
    public var driverName: String {
        guard let driver = GDALGetDatasetDriver(handle), let name = GDALGetDriverShortName(driver) else { return "unknown" }
        return String(cString: name)
    }

    public var layerCount: Int { Int(GDALDatasetGetLayerCount(handle)) }

    /// The layers' names, in the dataset's order.
    public var layerNames: [String] {
        (0..<layerCount).compactMap { index in
            guard let layer = GDALDatasetGetLayer(handle, Int32(index)), let name = OGR_L_GetName(layer) else { return nil }
            return String(cString: name)
        }
    }

    public func layer(at index: Int) -> OGRLayerHandle? {
        guard let layer = GDALDatasetGetLayer(handle, Int32(index)) else { return nil }
        return OGRLayerHandle(layer, owner: self)
    }

    public func layer(named name: String) -> OGRLayerHandle? {
        guard let layer = GDALDatasetGetLayerByName(handle, name) else { return nil }
        return OGRLayerHandle(layer, owner: self)
    }
}
