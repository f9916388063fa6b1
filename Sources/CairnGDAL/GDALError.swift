/// What GDAL reported about one dataset: the message GDAL gave, kept verbatim so errors can quote it.
public struct GDALError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// GDALOpenEx found no driver, or the driver refused the file.
        case cannotOpen
        /// The dataset has no layer of that name (or no layer at all).
        case noSuchLayer
        /// Reading features failed part way (a truncated or corrupt file).
        case readFailed
        /// A spatial reference GDAL could not export.
        case badSpatialReference
    }

    public var code: Code
    /// What GDAL said (its last error messages, joined), or what Cairn found wrong.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
