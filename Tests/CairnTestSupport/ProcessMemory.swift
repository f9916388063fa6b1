import Foundation

/// This process's resident memory as Linux reports it in /proc/self/status, for tests that bound
/// what some work may allocate. Tests run in parallel in one process, so bounds must be generous:
/// they tell "constant" from "grows with the area", not one megabyte from another.
public enum ProcessMemory {
    /// Peak resident bytes (VmHWM), nil where /proc is missing.
    public static var peakResidentBytes: Int? { field("VmHWM") }

    /// Current resident bytes (VmRSS), nil where /proc is missing.
    public static var residentBytes: Int? { field("VmRSS") }

    /// Resets the peak to the current resident size (Linux ≥ 4.0: "5" to clear_refs); false
    /// when not permitted, and the peak then counts from the process's start.
    @discardableResult
    public static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do { try handle.write(contentsOf: Data("5".utf8)) } catch { return false }
        return true
    }

    static func field(_ name: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let digits = line.dropFirst(name.count + 1).filter(\.isNumber)
            return Int(digits).map { $0 * 1024 }
        }
        return nil
    }
}
