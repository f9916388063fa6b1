import Testing
import Foundation
import CairnCore
@testable import CairnStyle

/// Properties left out of a style take the MapLibre spec defaults.
@Suite struct PropertyDefaultsTests {
    static let style: Style = {
        let text = #"""
        {"version": 8, "sources": {"s": {"type": "geojson", "data": "x.geojson"}},
         "layers": [
           {"id": "bg", "type": "background"},
           {"id": "fill", "type": "fill", "source": "s"},
           {"id": "line", "type": "line", "source": "s"},
           {"id": "circle", "type": "circle", "source": "s"},
           {"id": "symbol", "type": "symbol", "source": "s"}
         ]}
        """#
        return try! Style.parse(Data(text.utf8), path: "defaults.json")
    }()

    static let context = EvaluationContext(zoom: 10)

    @Test func background() throws {
        let background = try #require(Self.style.layers[0].background)
        #expect(background.color.constantValue == .black)
        #expect(background.opacity.constantValue == 1)
    }

    @Test func fill() throws {
        let fill = try #require(Self.style.layers[1].fill)
        #expect(fill.color.constantValue == .black)
        #expect(fill.opacity.constantValue == 1)
        #expect(fill.outlineColor == nil)
        #expect(fill.antialias.constantValue == true)
        #expect(fill.sortKey == nil)
    }

    @Test func line() throws {
        let line = try #require(Self.style.layers[2].line)
        #expect(line.color.constantValue == .black)
        #expect(line.width.constantValue == 1)
        #expect(line.opacity.constantValue == 1)
        #expect(line.dashArray == nil)
        #expect(line.cap.constantValue == .butt)
        #expect(line.join.constantValue == .miter)
        #expect(line.gapWidth.constantValue == 0)
        #expect(line.offset.constantValue == 0)
        #expect(line.miterLimit.constantValue == 2)
        #expect(line.roundLimit.constantValue == 1.05)
        #expect(line.blur.constantValue == 0)
    }

    @Test func circle() throws {
        let circle = try #require(Self.style.layers[3].circle)
        #expect(circle.radius.constantValue == 5)
        #expect(circle.color.constantValue == .black)
        #expect(circle.opacity.constantValue == 1)
        #expect(circle.strokeWidth.constantValue == 0)
        #expect(circle.strokeColor.constantValue == .black)
        #expect(circle.strokeOpacity.constantValue == 1)
        #expect(circle.blur.constantValue == 0)
    }

    @Test func symbol() throws {
        let symbol = try #require(Self.style.layers[4].symbol)
        #expect(symbol.textField == nil)
        #expect(symbol.textFont.constantValue == ["Open Sans Regular", "Arial Unicode MS Regular"])
        #expect(symbol.textSize.constantValue == 16)
        #expect(symbol.textColor.constantValue == .black)
        #expect(symbol.textOpacity.constantValue == 1)
        #expect(symbol.textHaloColor.constantValue == .transparent)
        #expect(symbol.textHaloWidth.constantValue == 0)
        #expect(symbol.textHaloBlur.constantValue == 0)
        #expect(symbol.textAnchor.constantValue == .center)
        #expect(symbol.textOffset.constantValue == [0, 0])
        #expect(symbol.textMaxWidth.constantValue == 10)
        #expect(symbol.textLineHeight.constantValue == 1.2)
        #expect(symbol.textRotate.constantValue == 0)
        #expect(symbol.placement.constantValue == .point)
        #expect(symbol.allowOverlap.constantValue == false)
        #expect(symbol.ignorePlacement.constantValue == false)
        #expect(symbol.optional.constantValue == false)
        #expect(symbol.padding.constantValue == 2)
        #expect(symbol.transform.constantValue == TextTransform.none)
        #expect(symbol.letterSpacing.constantValue == 0)
        #expect(symbol.justify.constantValue == .center)
        #expect(symbol.sortKey == nil)
        #expect(symbol.spacing.constantValue == 250)
        #expect(symbol.maxAngle.constantValue == 45)
        #expect(symbol.rotationAlignment.constantValue == .auto)
        #expect(symbol.keepUpright.constantValue == true)
        #expect(symbol.avoidEdges.constantValue == false)
    }

    @Test func layerDefaults() {
        let layer = Self.style.layers[2]
        #expect(layer.isVisible)
        #expect(layer.minzoom == nil && layer.maxzoom == nil)
        #expect(layer.filter == nil)
        #expect(layer.requiredAttributes.isEmpty)
        #expect(layer.isVisible(atZoom: 0) && layer.isVisible(atZoom: 24))
        #expect(Self.style.warnings.isEmpty)
        #expect(Self.style.layers[0].source == nil)
    }

    @Test func sourceDefaults() throws {
        let source = try #require(Self.style.sources["s"])
        #expect(source.minzoom == 0 && source.maxzoom == 18)
        #expect(source.crs == nil && source.attribution == nil)
    }

    @Test func runtimeErrorFallsBackToDefault() throws {
        let text = #"{"version": 8, "sources": {"s": {"type": "vector", "url": "a.gpkg"}}, "layers": [{"id": "l", "type": "line", "source": "s", "paint": {"line-width": ["get", "w"], "line-color": ["get", "c"]}, "layout": {"line-cap": ["get", "cap"]}}]}"#
        let line = try #require(try Style.parse(Data(text.utf8), path: "p.json").layers[0].line)
        let bad = EvaluationContext(zoom: 1, properties: ["w": .string("wide"), "c": .int(3), "cap": .string("flat")])
        #expect(line.width.evaluate(bad) == 1)
        #expect(line.color.evaluate(bad) == .black)
        #expect(line.cap.evaluate(bad) == .butt)
        let good = EvaluationContext(zoom: 1, properties: ["w": .int(3), "c": .string("red"), "cap": .string("round")])
        #expect(line.width.evaluate(good) == 3)
        #expect(line.color.evaluate(good) == Color(red: 1, green: 0, blue: 0))
        #expect(line.cap.evaluate(good) == .round)
    }

    @Test func constantExpressionsFoldToConstants() throws {
        let text = ##"{"version": 8, "sources": {}, "layers": [{"id": "b", "type": "background", "paint": {"background-color": ["to-color", ["concat", "#", "ff0000"]], "background-opacity": ["*", 0.5, ["+", 1, 0]]}}]}"##
        let background = try #require(try Style.parse(Data(text.utf8), path: "p.json").layers[0].background)
        #expect(background.color.constantValue == Color(red: 1, green: 0, blue: 0))
        #expect(background.opacity.constantValue == 0.5)
    }
}
