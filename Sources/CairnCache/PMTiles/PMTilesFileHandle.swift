import Foundation

/// A file written and read at explicit offsets, with every failure naming the file and the
/// operating system's reason (a full disk as `.noSpace`).
final class PMTilesFileHandle {
    let path: String
    private var descriptor: Int32

    /// Creates (truncating) the file at `path`, readable by all like any published file.
    init(creating path: String) throws(PMTilesError) {
        self.path = path
        descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Self.failure(errno, path: path, "cannot create the file") }
    }

    deinit { close() }

    func close() {
        if descriptor >= 0 { _ = Foundation.close(descriptor) }
        descriptor = -1
    }

    func write(_ bytes: [UInt8], at offset: UInt64) throws(PMTilesError) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                pwrite(descriptor, buffer.baseAddress! + written, buffer.count - written, off_t(offset) + off_t(written))
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw Self.failure(errno, path: path, "cannot write")
            }
            written += result
        }
    }

    func read(_ count: Int, at offset: UInt64) throws(PMTilesError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let result = bytes.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw Self.failure(errno, path: path, "cannot read")
            }
            guard result > 0 else { throw PMTilesError(.io, path: path, "the file ended early (it was changed by something else)") }
            done += result
        }
        return bytes
    }

    func synchronize() throws(PMTilesError) {
        guard fsync(descriptor) == 0 else { throw Self.failure(errno, path: path, "cannot flush to disk") }
    }

    static func failure(_ code: Int32, path: String, _ what: String) -> PMTilesError {
        let reason = String(cString: strerror(code))
        let full = code == ENOSPC || code == EDQUOT || code == EFBIG
        return PMTilesError(full ? .noSpace : .io, path: path, "\(what): \(reason)")
    }
}
