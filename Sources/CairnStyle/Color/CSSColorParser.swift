import Foundation
import CairnCore

/// Parses CSS colour text as MapLibre accepts it: `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`,
/// `rgb()`, `rgba()`, `hsl()`, `hsla()` (comma or space separated, with `/ alpha`), and the CSS
/// named colours, case-insensitively.
public enum CSSColorParser {
    public static func parse(_ text: String) -> Color? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed.hasPrefix("#") { return parseHex(trimmed.utf8.dropFirst()) }
        if let open = trimmed.firstIndex(of: "("), trimmed.hasSuffix(")") {
            let name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
            let body = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
            return parseFunction(name, String(body))
        }
        return CSSNamedColors.table[trimmed]
    }

    private static func hexDigit(_ byte: UInt8) -> Double? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Double(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Double(byte - UInt8(ascii: "a") + 10)
        default: return nil
        }
    }

    private static func parseHex(_ digits: Substring.UTF8View) -> Color? {
        var values: [Double] = []
        values.reserveCapacity(8)
        for byte in digits {
            guard let value = hexDigit(byte) else { return nil }
            values.append(value)
        }
        switch values.count {
        case 3, 4:
            let channels = values.map { $0 * 17 / 255 }
            return Color(red: channels[0], green: channels[1], blue: channels[2], alpha: values.count == 4 ? channels[3] : 1)
        case 6, 8:
            var channels: [Double] = []
            for i in stride(from: 0, to: values.count, by: 2) {
                let high = values[i] * 16
                channels.append((high + values[i + 1]) / 255)
            }
            return Color(red: channels[0], green: channels[1], blue: channels[2], alpha: values.count == 8 ? channels[3] : 1)
        default:
            return nil
        }
    }

    /// A CSS number or percentage: the number and whether it had `%`.
    private static func component(_ text: Substring) -> (value: Double, isPercent: Bool)? {
        if text.hasSuffix("%") {
            guard let value = Double(text.dropLast()) else { return nil }
            return (value, true)
        }
        var number = text
        if number.hasSuffix("deg") { number = number.dropLast(3) }
        guard let value = Double(number) else { return nil }
        return (value, false)
    }

    private static func parseFunction(_ name: String, _ body: String) -> Color? {
        // "r, g, b, a" and "r g b / a" are both CSS.
        let separators: Set<Character> = [",", " ", "/"]
        let parts = body.split(whereSeparator: { separators.contains($0) })
        let components = parts.compactMap(component)
        guard components.count == parts.count else { return nil }
        guard components.count == 3 || components.count == 4 else { return nil }
        var alpha = 1.0
        if components.count == 4 {
            alpha = components[3].isPercent ? components[3].value / 100 : components[3].value
        }
        alpha = min(max(alpha, 0), 1)
        func clamp(_ v: Double) -> Double { min(max(v, 0), 1) }
        switch name {
        case "rgb", "rgba":
            let rgb = components.prefix(3)
            // CSS forbids mixing numbers and percentages within r, g, b.
            guard rgb.allSatisfy({ $0.isPercent }) || rgb.allSatisfy({ !$0.isPercent }) else { return nil }
            let channels = rgb.map { clamp($0.isPercent ? $0.value / 100 : $0.value / 255) }
            return Color(red: channels[0], green: channels[1], blue: channels[2], alpha: alpha)
        case "hsl", "hsla":
            guard !components[0].isPercent, components[1].isPercent, components[2].isPercent else { return nil }
            var hue = components[0].value.truncatingRemainder(dividingBy: 360)
            if hue < 0 { hue += 360 }
            return hslColor(hue: hue / 360, saturation: clamp(components[1].value / 100),
                            lightness: clamp(components[2].value / 100), alpha: alpha)
        default:
            return nil
        }
    }

    private static func hslColor(hue h: Double, saturation s: Double, lightness l: Double, alpha: Double) -> Color {
        let m2 = l <= 0.5 ? l * (s + 1) : l + s - l * s
        let m1 = l * 2 - m2
        func channel(_ hue: Double) -> Double {
            var h = hue
            if h < 0 { h += 1 } else if h > 1 { h -= 1 }
            if h * 6 < 1 { return m1 + (m2 - m1) * h * 6 }
            if h * 2 < 1 { return m2 }
            if h * 3 < 2 { return m1 + (m2 - m1) * (2.0 / 3 - h) * 6 }
            return m1
        }
        return Color(red: channel(h + 1.0 / 3), green: channel(h), blue: channel(h - 1.0 / 3), alpha: alpha)
    }
}
