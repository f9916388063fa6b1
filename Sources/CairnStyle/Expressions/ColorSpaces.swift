import CairnCore
import Foundation

/// CIELAB and HCL conversions for `interpolate-lab` / `interpolate-hcl` (D50 white, as MapLibre and
/// d3-color compute them), on straight (not premultiplied) sRGB channels in 0...1.
enum ColorSpaces {
    private static let xn = 0.96422, yn = 1.0, zn = 0.82521
    private static let t0 = 4.0 / 29, t1 = 6.0 / 29, t2 = 3 * t1 * t1, t3 = t1 * t1 * t1

    static func lab(_ c: Color) -> (l: Double, a: Double, b: Double) {
        func rgb2xyz(_ x: Double) -> Double { x <= 0.04045 ? x / 12.92 : pow((x + 0.055) / 1.055, 2.4) }
        func xyz2lab(_ t: Double) -> Double { t > t3 ? pow(t, 1.0 / 3) : t / t2 + t0 }
        let r = rgb2xyz(c.red), g = rgb2xyz(c.green), b = rgb2xyz(c.blue)
        let y = xyz2lab((0.2225045 * r + 0.7168786 * g + 0.0606169 * b) / yn)
        var x = y, z = y
        if !(r == g && g == b) {
            x = xyz2lab((0.4360747 * r + 0.3850649 * g + 0.1430804 * b) / xn)
            z = xyz2lab((0.0139322 * r + 0.0971045 * g + 0.7141733 * b) / zn)
        }
        let l = 116 * y - 16
        return (l < 0 ? 0 : l, 500 * (x - y), 200 * (y - z))
    }

    static func color(l: Double, a: Double, b: Double, alpha: Double) -> Color {
        func lab2xyz(_ t: Double) -> Double { t > t1 ? t * t * t : t2 * (t - t0) }
        func xyz2rgb(_ v: Double) -> Double {
            let x = v <= 0.00304 ? 12.92 * v : 1.055 * pow(v, 1 / 2.4) - 0.055
            return x < 0 ? 0 : x > 1 ? 1 : x
        }
        var y = (l + 16) / 116
        var x = a.isNaN ? y : y + a / 500
        var z = b.isNaN ? y : y - b / 200
        y = yn * lab2xyz(y); x = xn * lab2xyz(x); z = zn * lab2xyz(z)
        return Color(red: xyz2rgb(3.1338561 * x - 1.6168667 * y - 0.4906146 * z),
                     green: xyz2rgb(-0.9787684 * x + 1.9161415 * y + 0.033454 * z),
                     blue: xyz2rgb(0.0719453 * x - 0.2289914 * y + 1.4052427 * z), alpha: alpha)
    }

    /// Hue in degrees (NaN for greys), chroma, lightness.
    static func hcl(_ c: Color) -> (h: Double, c: Double, l: Double) {
        let (l, a, b) = lab(c)
        let chroma = (a * a + b * b).squareRoot()
        var hue = Double.nan
        if (chroma * 10000).rounded() != 0 {
            hue = fmod(atan2(b, a) * 180 / .pi, 360)
            if hue < 0 { hue += 360 }
        }
        return (hue, chroma, l)
    }

    static func interpolateLab(_ from: Color, _ to: Color, _ t: Double) -> Color {
        let x = lab(from), y = lab(to)
        return color(l: x.l + t * (y.l - x.l), a: x.a + t * (y.a - x.a), b: x.b + t * (y.b - x.b),
                     alpha: from.alpha + t * (to.alpha - from.alpha))
    }

    /// Hue takes the short way round; a grey end keeps the other end's hue (chroma.js's rule).
    static func interpolateHCL(_ from: Color, _ to: Color, _ t: Double) -> Color {
        let x = hcl(from), y = hcl(to)
        var hue: Double
        var chroma: Double?
        if !x.h.isNaN && !y.h.isNaN {
            var dh = y.h - x.h
            if y.h > x.h && dh > 180 { dh -= 360 } else if y.h < x.h && x.h - y.h > 180 { dh += 360 }
            hue = x.h + t * dh
        } else if !x.h.isNaN {
            hue = x.h
            if y.l == 1 || y.l == 0 { chroma = x.c }
        } else if !y.h.isNaN {
            hue = y.h
            if x.l == 1 || x.l == 0 { chroma = y.c }
        } else {
            hue = .nan
        }
        let c = chroma ?? (x.c + t * (y.c - x.c))
        let radians = hue.isNaN ? 0 : hue * .pi / 180
        return color(l: x.l + t * (y.l - x.l), a: cos(radians) * c, b: sin(radians) * c,
                     alpha: from.alpha + t * (to.alpha - from.alpha))
    }
}
