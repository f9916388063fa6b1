/// Bits written least significant first, as deflate packs them, 32 at a time.
struct BitWriter {
    private var pending: UInt64 = 0
    private var pendingCount = 0
    private var output: UnsafeMutablePointer<UInt8>
    private let start: UnsafeMutablePointer<UInt8>

    init(_ output: UnsafeMutablePointer<UInt8>) {
        self.output = output
        start = output
    }

    /// Appends the low `count` bits (at most 32) of `value`, whose other bits are 0.
    @inline(__always)
    mutating func put(_ value: UInt32, _ count: Int) {
        pending |= UInt64(value) &<< UInt64(pendingCount)
        pendingCount &+= count
        if pendingCount >= 32 {
            UnsafeMutableRawPointer(output).storeBytes(of: pending.littleEndian, as: UInt64.self)
            output += 4
            pending &>>= 32
            pendingCount &-= 32
        }
    }

    /// Writes what is pending, padded to a whole byte; returns the bytes written in all.
    mutating func finish() -> Int {
        while pendingCount > 0 {
            output.pointee = UInt8(truncatingIfNeeded: pending)
            output += 1
            pending &>>= 8
            pendingCount -= 8
        }
        pendingCount = 0
        return output - start
    }
}
