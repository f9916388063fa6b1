import CairnCore
import CairnRender
import Testing

/// Small scenes compared with reviewed golden images in Fixtures/golden.
@Suite struct GoldenSceneTests {
    static let paper = Color.hex(0xF8F4F0)
    static let haloWhite = Color.white

    @Test func polygonWithHole() throws {
        let canvas = try makeCanvas(128, 128)
        canvas.fillBackground(Self.paper)
        // Exterior clockwise on screen, hole with the same winding: even-odd must still cut it out.
        let exterior = [px(10, 10), px(118, 10), px(118, 118), px(10, 118), px(10, 10)]
        let hole = [px(40, 40), px(88, 40), px(88, 88), px(40, 88), px(40, 40)]
        let island = [px(56, 56), px(72, 56), px(64, 72), px(56, 56)]
        canvas.fill([[exterior, hole], [island]],
                    FillSymbolizer(color: .hex(0x4A90D9), opacity: 0.8, outlineColor: .hex(0x1B3D66)))
        try expectGolden(canvas, "polygon_with_hole")
    }

    @Test func thickDashedLineWithRoundCaps() throws {
        let canvas = try makeCanvas(128, 128)
        canvas.fillBackground(Self.paper)
        canvas.stroke([[px(12, 100), px(60, 20), px(116, 100)]],
                      LineSymbolizer(color: .hex(0xC0392B), width: 8, dashArray: [2, 1.5], cap: .round, join: .round))
        try expectGolden(canvas, "dashed_line_round_caps")
    }

    @Test func casingWithGapWidthAndOffset() throws {
        let canvas = try makeCanvas(128, 128)
        canvas.fillBackground(Self.paper)
        let road = [[px(10, 100), px(60, 30), px(118, 60)]]
        canvas.stroke(road, LineSymbolizer(color: .hex(0x8A6D3B), width: 2, join: .round, gapWidth: 10))
        canvas.stroke(road, LineSymbolizer(color: .hex(0xFFD27F), width: 10, cap: .butt, join: .round))
        // A thin line shifted 14 px to the right of the direction of travel.
        canvas.stroke(road, LineSymbolizer(color: .hex(0x2E86C1), width: 1.5, join: .round, offset: 14))
        try expectGolden(canvas, "casing_gap_width")
    }

    @Test func circlesWithStroke() throws {
        let canvas = try makeCanvas(128, 128)
        canvas.fillBackground(Self.paper)
        canvas.circle([px(32, 32), px(96, 32), px(64, 96)],
                      CircleSymbolizer(radius: 14, color: .hex(0xE67E22), opacity: 0.9, strokeWidth: 3,
                                       strokeColor: .hex(0x6E2C00)))
        canvas.circle([px(64, 60)], CircleSymbolizer(radius: 4, color: .hex(0x2C3E50)))
        try expectGolden(canvas, "circles")
    }

    @Test func pointLabelsWithHalo() throws {
        let canvas = try makeCanvas(256, 128)
        canvas.fillBackground(.hex(0xAAD3DF))
        let style = TextSymbolizer(text: "", fontNames: ["Noto Sans Regular"], size: 16, color: .hex(0x333333),
                                   haloColor: Self.haloWhite, haloWidth: 1.5)
        for (index, name) in ["Hải Phòng", "Đồ Sơn", "Thủy Nguyên"].enumerated() {
            var s = style
            s.text = name
            if index == 1 { s.fontNames = ["Open Sans Bold"] }
            canvas.addLabel(for: .points([px(128, 24 + Double(index) * 40)]), s)
        }
        #expect(canvas.drawLabels() == 3)
        try expectGolden(canvas, "point_labels_halo")
    }

    @Test func lineLabelFollowsTheLineUpright() throws {
        let canvas = try makeCanvas(256, 128)
        canvas.fillBackground(Self.paper)
        // Drawn right to left: the label must still read left to right.
        let line = [px(240, 40), px(170, 70), px(90, 80), px(16, 60)]
        canvas.stroke([line], LineSymbolizer(color: .hex(0xFFFFFF), width: 14, cap: .round, join: .round))
        canvas.addLabel(for: .lines([line]),
                        TextSymbolizer(text: "Đường Lạch Tray", size: 12, color: .hex(0x555555), placement: .line))
        // Too short for its text: rejected.
        let short = [px(30, 110), px(60, 110)]
        canvas.stroke([short], LineSymbolizer(color: .hex(0xFFFFFF), width: 10))
        canvas.addLabel(for: .lines([short]), TextSymbolizer(text: "Phố Quá Dài Để Vừa", size: 12, placement: .line))
        #expect(canvas.drawLabels() == 1)
        try expectGolden(canvas, "line_label")
    }

    @Test func overlappingLabelsDrawOnlyTheHigherPriority() throws {
        let canvas = try makeCanvas(192, 96)
        canvas.fillBackground(Self.paper)
        canvas.addLabel(for: .points([px(96, 52)]), TextSymbolizer(text: "Kiến An", size: 16, color: .hex(0xAA0000)), priority: 1)
        canvas.addLabel(for: .points([px(96, 44)]), TextSymbolizer(text: "An Lão", size: 16, color: .hex(0x0000AA)), priority: 5)
        #expect(canvas.drawLabels() == 1)
        try expectGolden(canvas, "label_collision")
    }

    /// Placed though it crosses the frame, and drawn up to the frame's edge: the neighbouring canvas,
    /// placing the same candidates, draws the other half. Nothing outside the frame is drawn.
    @Test func labelCrossingTheFrameEdgeIsDrawnWhole() throws {
        let frame = PixelRect(x: 32, y: 32, width: 192, height: 96)
        let canvas = try makeCanvas(256, 160, frame: frame)
        canvas.fillBackground(Self.paper)
        canvas.stroke([[px(32, 32), px(224, 32), px(224, 128), px(32, 128), px(32, 32)]],
                      LineSymbolizer(color: .hex(0x999999), width: 1))
        canvas.addLabel(for: .points([px(128, 80)]), TextSymbolizer(text: "Inside", size: 14))
        canvas.addLabel(for: .points([px(224, 60)]), TextSymbolizer(text: "Crossing", size: 14))
        #expect(canvas.drawLabels() == 2)
        try expectGolden(canvas, "label_frame_edge")
    }
}
