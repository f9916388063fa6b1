/// Byte comparison whose duration does not depend on where the inputs differ.
public enum ConstantTime {
    /// Equal iff same length and same bytes. Every byte of `presented` is looked at, without
    /// stopping at the first difference or on a length mismatch.
    public static func equals(_ presented: some Collection<UInt8>, _ expected: some Collection<UInt8>) -> Bool {
        let expectedBytes = Array(expected)
        guard !expectedBytes.isEmpty else { return false }
        var difference = UInt(bitPattern: presented.count ^ expectedBytes.count)
        var index = 0
        for byte in presented {
            difference |= UInt(byte ^ expectedBytes[index % expectedBytes.count])
            index += 1
        }
        return difference == 0
    }
}
