internal import CairnCore
internal import CLibdeflate

/// libdeflate compressors kept per thread and level. A compressor holds its hash tables (hundreds of
/// KiB at the usual levels); allocating one per tile costs fresh pages and their faults every time.
/// A compressor is not thread-safe, so each thread has its own, freed when the thread ends.
final class DeflateCompressors {
    private var byLevel: [OpaquePointer?] = Array(repeating: nil, count: 13)

    deinit {
        for compressor in byLevel { if let compressor { libdeflate_free_compressor(compressor) } }
    }

    private static let perThread = PerThread { DeflateCompressors() }

    /// The calling thread's compressor at `level` (0–12), made on first use; nil when libdeflate cannot allocate one.
    static func compressor(level: Int) -> OpaquePointer? {
        let store = perThread.value
        let level = max(0, min(12, level))
        if let known = store.byLevel[level] { return known }
        let made = libdeflate_alloc_compressor(Int32(level))
        store.byLevel[level] = made
        return made
    }
}
