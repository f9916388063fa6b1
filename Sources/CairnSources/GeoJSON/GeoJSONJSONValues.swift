import CairnCore
import Foundation

/// Helpers for the untyped values `JSONSerialization` produces (String, NSNumber, NSNull,
/// [Any], [String: Any]). JSONSerialization is used instead of Codable because it is much
/// faster on Linux, and it keeps "1" (objCType `q`/`i`) apart from "1.0" (objCType `d`).
enum GeoJSONJSONValues {
    /// The class JSONSerialization uses for `true`/`false` (a subclass of NSNumber).
    private static let booleanClass: ObjectIdentifier = {
        let parsed = try? JSONSerialization.jsonObject(with: Data("[true]".utf8)) as? [Any]
        let value: AnyObject = (parsed?.first as? NSNumber) ?? NSNumber(value: true)
        return ObjectIdentifier(type(of: value))
    }()

    /// JSON null. Compares the dynamic type: `value is NSNull` would bridge a Swift String,
    /// Array or Dictionary to its NS class first, which dominated the read time.
    @inline(__always)
    static func isNull(_ value: Any) -> Bool {
        ObjectIdentifier(type(of: value)) == ObjectIdentifier(NSNull.self)
    }

    @inline(__always)
    static func isBoolean(_ number: NSNumber) -> Bool {
        ObjectIdentifier(type(of: number)) == booleanClass
    }

    /// True when the number was written as an integer that fits Int64.
    @inline(__always)
    static func isIntegral(_ number: NSNumber) -> Bool {
        if number is NSDecimalNumber { return false }
        switch UInt8(bitPattern: number.objCType.pointee) {
        case UInt8(ascii: "d"), UInt8(ascii: "f"), UInt8(ascii: "Q"), UInt8(ascii: "c"): return false
        default: return true
        }
    }

    /// A JSON number as a Double; nil for anything else, booleans included.
    @inline(__always)
    static func double(_ value: Any) -> Double? {
        guard let number = value as? NSNumber, !isBoolean(number) else { return nil }
        return number.doubleValue
    }

    /// A GeoJSON position `[x, y, ...]`; extra ordinates (Z, M) are ignored.
    @inline(__always)
    static func position(_ value: Any) -> Point? {
        guard let array = value as? [Any], array.count >= 2,
              let x = double(array[0]), let y = double(array[1]) else { return nil }
        return Point(x, y)
    }

    static func propertyValue(_ value: Any) -> PropertyValue {
        switch value {
        case let string as String:
            return .string(string)
        case let number as NSNumber:
            if isBoolean(number) { return .bool(number.boolValue) }
            if isIntegral(number) { return .int(number.int64Value) }
            return .double(number.doubleValue)
        default:
            return isNull(value) ? .null : .string(jsonText(value))
        }
    }

    /// Compact JSON text for a nested object or array, keys sorted so the text is stable.
    static func jsonText(_ value: Any) -> String {
        guard JSONSerialization.isValidJSONObject(value),
              let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return String(describing: value) }
        return String(decoding: data, as: UTF8.self)
    }

    /// "a number", "an array", ... for error messages.
    static func describe(_ value: Any?) -> String {
        switch value {
        case nil: return "nothing (member missing)"
        case is String: return "a string"
        case is [Any]: return "an array"
        case is [String: Any]: return "an object"
        case let value? where isNull(value): return "null"
        case let number as NSNumber: return isBoolean(number) ? "a boolean" : "a number"
        default: return "an unexpected value"
        }
    }
}
