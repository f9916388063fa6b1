import CairnCore
import Foundation
import Testing
@testable import CairnStyle

/// The style's `sprite` and the icon and pattern properties of its layers.
@Suite struct IconPropertiesTests {
    func style(sprite: String = #""./sprites/icons""#, layers: String) throws -> Style {
        let text = #"{"version": 8, "sprite": \#(sprite), "sources": {"s": {"type": "geojson", "data": "x.geojson"}}, "layers": [\#(layers)]}"#
        return try Style.parse(Data(text.utf8), path: "icons.json")
    }

    @Test func iconPropertiesWithDefaults() throws {
        let style = try style(layers: #"""
            {"id": "poi", "type": "symbol", "source": "s",
             "layout": {"icon-image": "{class}_11", "icon-size": ["interpolate", ["linear"], ["zoom"], 10, 0.5, 16, 1],
                        "icon-anchor": "bottom", "icon-offset": [0, -2], "icon-rotate": 45, "icon-text-fit": "both",
                        "icon-text-fit-padding": [1, 2, 3, 4], "icon-allow-overlap": true, "icon-optional": true,
                        "icon-rotation-alignment": "viewport", "text-optional": true},
             "paint": {"icon-opacity": 0.5}},
            {"id": "plain", "type": "symbol", "source": "s", "layout": {"text-field": "x"}}
            """#)
        #expect(style.warnings.isEmpty, "\(style.warnings)")
        let icon = try #require(style.layers[0].symbol?.icon)
        let context = EvaluationContext(zoom: 13, properties: ["class": .string("cafe")])
        #expect(icon.image.evaluate(context) == "cafe_11")
        #expect(icon.size.evaluate(context) == 0.75)
        #expect(icon.anchor.evaluate(context) == .bottom)
        #expect(icon.offset.evaluate(context) == [0, -2])
        #expect(icon.rotate.evaluate(context) == 45)
        #expect(icon.textFit.evaluate(context) == .both)
        #expect(icon.textFitPadding.evaluate(context) == [1, 2, 3, 4])
        #expect(icon.allowOverlap.evaluate(context) && icon.optional.evaluate(context))
        #expect(icon.opacity.evaluate(context) == 0.5)
        #expect(style.layers[0].symbol?.optional.evaluate(context) == true)
        #expect(style.layers[0].requiredAttributes.contains("class"))
        #expect(style.layers[1].symbol?.icon == nil)
        let plain = try #require(try self.style(layers: #"{"id": "p", "type": "symbol", "source": "s", "layout": {"icon-image": "dot"}}"#).layers[0].symbol?.icon)
        #expect(plain.size.constantValue == 1 && plain.anchor.constantValue == .center && plain.textFit.constantValue == IconTextFit.none)
        #expect(plain.padding.constantValue == 2 && plain.offset.constantValue == [0, 0])
    }

    @Test func iconImageExpressions() throws {
        let style = try style(layers: #"""
            {"id": "poi", "type": "symbol", "source": "s",
             "layout": {"icon-image": ["match", ["get", "subclass"], ["florist", "furniture"], ["get", "subclass"], ["get", "class"]]}}
            """#)
        let icon = try #require(style.layers[0].symbol?.icon)
        #expect(icon.image.evaluate(EvaluationContext(zoom: 14, properties: ["subclass": .string("florist"), "class": .string("shop")])) == "florist")
        #expect(icon.image.evaluate(EvaluationContext(zoom: 14, properties: ["subclass": .string("bakery"), "class": .string("shop")])) == "shop")
    }

    @Test func patterns() throws {
        let style = try style(layers: #"""
            {"id": "wetland", "type": "fill", "source": "s", "paint": {"fill-pattern": "wetland_bg_11"}},
            {"id": "rail", "type": "line", "source": "s", "paint": {"line-pattern": ["concat", "rail_", ["get", "kind"]]}}
            """#)
        #expect(style.layers[0].fill?.pattern?.constantValue == "wetland_bg_11")
        #expect(style.layers[1].line?.pattern?.evaluate(EvaluationContext(zoom: 1, properties: ["kind": .string("tram")])) == "rail_tram")
        #expect(style.warnings.isEmpty)
    }

    @Test func spriteForms() throws {
        #expect(try style(layers: "").sprites == [StyleSprite(id: "default", url: "./sprites/icons")])
        let many = try style(sprite: #"[{"id": "default", "url": "a"}, {"id": "shields", "url": "b"}]"#, layers: "")
        #expect(many.sprites.map(\.id) == ["default", "shields"])
        #expect(many.sprites[1].imageID("us") == "shields:us")
        #expect(many.sprites[0].imageID("us") == "us")
    }

    @Test(arguments: [
        ("3", "sprite", "expected a string or an array"),
        (#""""#, "sprite", "empty string"),
        (#"[{"id": "a"}]"#, "sprite[0].url", "non-empty string"),
        (#"[{"url": "a"}]"#, "sprite[0].id", "non-empty string"),
        (#"[{"id": "a", "url": "x"}, {"id": "a", "url": "y"}]"#, "sprite[1].id", "duplicate sprite id"),
        (#"["x"]"#, "sprite[0]", "expected {"),
    ])
    func badSpriteNamesItsPath(sprite: String, location: String, message: String) {
        do {
            _ = try style(sprite: sprite, layers: "")
            Issue.record("accepted sprite \(sprite)")
        } catch let error as StyleError {
            #expect(error.location == location)
            #expect(error.message.contains(message), "\(error.message)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func badIconPropertyNamesItsPath() {
        do {
            _ = try style(layers: #"{"id": "p", "type": "symbol", "source": "s", "layout": {"icon-image": "x", "icon-text-fit": "all"}}"#)
            Issue.record("accepted icon-text-fit all")
        } catch let error as StyleError {
            #expect(error.location == "layers[0].layout.icon-text-fit")
            #expect(error.message.contains("none, width, height, both"))
        } catch {
            Issue.record("\(error)")
        }
    }
}
