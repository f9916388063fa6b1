import Foundation

/// What identifies one version of a file cheaply: its size and modification time.
struct FileStamp: Hashable, Sendable {
    var size: UInt64
    var modifiedNanoseconds: Int64

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        size = UInt64(info.st_size)
        modifiedNanoseconds = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }
}

/// 64-bit FNV-1a, enough to tell versions apart (not a security hash).
struct Fingerprinter {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01b3
        }
    }

    mutating func add(_ string: String) { add(string.utf8); add([0]) }
    mutating func add(_ number: some FixedWidthInteger) { add(String(number)) }

    var hex: String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
