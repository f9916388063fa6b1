internal import CairnCairo
import CairnCore

/// The texts laid out on one thread, kept across canvases.
///
/// Shaping (HarfBuzz through Pango) is the costliest part of labelling, and a map labels the same
/// names on every tile around them: each metatile gathers candidates far beyond its edges, so its
/// neighbours shape them again. Pango objects may only be used on the thread whose font map made
/// them, hence one store per thread. It is bounded (`GenerationalCache`): two generations of `generationSize` layouts, the
/// older dropped when the newer fills, so names in use stay and the rest go.
final class TextLayoutStore {
    static let generationSize = 2048

    let context = PangoTextContext()
    /// Glyphs rasterised for labels drawn on this thread.
    let glyphRasters = GlyphRasterCache()
    private var fonts: [FontKey: PangoFont] = [:]
    private var entries = GenerationalCache<TextLayoutKey, Entry>(generationSize: generationSize)

    private final class Entry {
        let layout: PangoTextLayout
        /// Measured when a line label first needs them.
        var clusters: [(start: Double, end: Double)]?
        init(_ layout: PangoTextLayout) { self.layout = layout }
    }

    /// The store of the calling thread, made on first use and released when the thread ends.
    static var current: TextLayoutStore { perThread.value }

    private static let perThread = PerThread { TextLayoutStore() }

    func font(_ names: [String], pixelSize: Double) -> PangoFont {
        let key = FontKey(names: names, pixelSize: pixelSize)
        if let cached = fonts[key] { return cached }
        let stack = FontStack(names: names)
        let font = PangoFont(families: stack.families, weight: stack.weight, style: stack.style, pixelSize: pixelSize)
        fonts[key] = font
        return font
    }

    /// The layout stored under `key`, or the one `make` lays out, stored.
    func layout(_ key: TextLayoutKey, make: () -> PangoTextLayout) -> PangoTextLayout {
        entry(key, make: make).layout
    }

    /// The layout stored under `key` (or made) with its grapheme clusters, measured once.
    func layoutWithClusters(_ key: TextLayoutKey, make: () -> PangoTextLayout)
        -> (layout: PangoTextLayout, clusters: [(start: Double, end: Double)]) {
        let found = entry(key, make: make)
        if let clusters = found.clusters { return (found.layout, clusters) }
        let clusters = found.layout.clusters
        found.clusters = clusters
        return (found.layout, clusters)
    }

    private func entry(_ key: TextLayoutKey, make: () -> PangoTextLayout) -> Entry {
        entries.value(key) { Entry(make()) }
    }
}
