extension TileEngine {
    /// A glyph range for MapLibre clients (`GET /fonts/{fontstack}/{start}-{end}.pbf`): made from
    /// the installed fonts the raster renderer uses for the same stack (see `GlyphRangeRenderer`)
    /// on the render thread pool, then kept in a bounded memory cache.
    /// - Throws: `EngineError(.renderFailed)` when no font can be read.
    public func glyphRange(_ request: GlyphRangeRequest) async throws -> GlyphRange {
        try await glyphRanges.range(request) { [threadPool] in
            try await threadPool.runIfActive { try GlyphRange.make(request) }
        }
    }
}

extension TileEngine {
    /// Glyph ranges in the memory cache now.
    public var glyphRangeCount: Int { glyphRanges.count }
}
