import Foundation

/// The `Date` header's value, formatted again only when the second changes.
struct HTTPDate {
    private var second = 0
    private var value = ""

    mutating func now() -> String {
        let current = time(nil)
        if current != second || value.isEmpty {
            second = current
            var parts = tm()
            var seconds = current
            gmtime_r(&seconds, &parts)
            var buffer = [Int8](repeating: 0, count: 40)
            let count = strftime(&buffer, buffer.count, "%a, %d %b %Y %H:%M:%S GMT", &parts)
            value = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return value
    }
}
