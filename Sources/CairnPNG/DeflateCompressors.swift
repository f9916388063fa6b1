#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CLibdeflate

/// libdeflate compressors kept per thread and level. A compressor holds its hash tables (hundreds of
/// KiB at the usual levels); allocating one per tile costs fresh pages and their faults every time.
/// A compressor is not thread-safe, so each thread has its own, freed when the thread ends.
final class DeflateCompressors {
    private var byLevel: [OpaquePointer?] = Array(repeating: nil, count: 13)

    deinit {
        for compressor in byLevel { if let compressor { libdeflate_free_compressor(compressor) } }
    }

    /// The calling thread's compressor at `level` (0–12), made on first use; nil when libdeflate cannot allocate one.
    static func compressor(level: Int) -> OpaquePointer? {
        let store: DeflateCompressors
        if let existing = pthread_getspecific(threadKey) {
            store = Unmanaged<DeflateCompressors>.fromOpaque(existing).takeUnretainedValue()
        } else {
            store = DeflateCompressors()
            pthread_setspecific(threadKey, Unmanaged.passRetained(store).toOpaque())
        }
        let level = max(0, min(12, level))
        if let known = store.byLevel[level] { return known }
        let made = libdeflate_alloc_compressor(Int32(level))
        store.byLevel[level] = made
        return made
    }

    private nonisolated(unsafe) static let threadKey: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { pointer in
            guard let pointer else { return }
            Unmanaged<DeflateCompressors>.fromOpaque(pointer).release()
        }
        precondition(status == 0, "pthread_key_create failed (\(status)): no thread-local deflate compressors")
        return key
    }()
}
