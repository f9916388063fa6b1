import CairnConfiguration
import CairnEngine
import CairnCore

/// The WMTS 1.0.0 GetCapabilities response, element order as in wmtsGetCapabilities_response.xsd.
struct WMTSCapabilitiesDocument: Sendable {
    struct Layer: Sendable {
        var name: String
        var title: String
        /// Longitude/latitude (west, south, east, north).
        var bounds: BoundingBox
        var offers: [WMTSGridOffer]
    }

    /// Scheme and host, e.g. `http://localhost:8080`.
    var baseURL: String
    var layers: [Layer]
    var service = ServiceDescription()

    static let style = "default"
    static let format = "image/png"

    var capabilitiesURL: String { baseURL + "/wmts/1.0.0/WMTSCapabilities.xml" }

    func render() -> String {
        var xml = XMLWriter()
        xml.open("Capabilities", [
            "xmlns": WMTSNamespace.wmts,
            "xmlns:ows": WMTSNamespace.ows,
            "xmlns:xlink": WMTSNamespace.xlink,
            "xmlns:xsi": WMTSNamespace.xsi,
            "xmlns:gml": WMTSNamespace.gml,
            "xsi:schemaLocation": WMTSNamespace.wmts + " http://schemas.opengis.net/wmts/1.0/wmtsGetCapabilities_response.xsd",
            "version": "1.0.0",
        ])
        serviceIdentification(&xml)
        operationsMetadata(&xml)
        xml.open("Contents")
        for layer in layers { self.layer(layer, &xml) }
        var written: Set<String> = []
        for offer in layers.flatMap(\.offers) where written.insert(offer.grid.identifier).inserted {
            tileMatrixSet(offer.grid, &xml)
        }
        xml.close("Contents")
        xml.empty("ServiceMetadataURL", ["xlink:href": capabilitiesURL])
        xml.close("Capabilities")
        return xml.text
    }

    private func serviceIdentification(_ xml: inout XMLWriter) {
        // Element order as OWS 1.1 (owsServiceIdentification.xsd, owsServiceProvider.xsd) requires.
        xml.open("ows:ServiceIdentification")
        xml.element("ows:Title", service.title)
        if let abstract = service.abstract { xml.element("ows:Abstract", abstract) }
        if !service.keywords.isEmpty {
            xml.open("ows:Keywords")
            for keyword in service.keywords { xml.element("ows:Keyword", keyword) }
            xml.close("ows:Keywords")
        }
        xml.element("ows:ServiceType", "OGC WMTS")
        xml.element("ows:ServiceTypeVersion", "1.0.0")
        if let fees = service.fees { xml.element("ows:Fees", fees) }
        if let constraints = service.accessConstraints { xml.element("ows:AccessConstraints", constraints) }
        xml.close("ows:ServiceIdentification")
        if let provider = service.providerName {
            xml.open("ows:ServiceProvider")
            xml.element("ows:ProviderName", provider)
            if let site = service.providerSite { xml.empty("ows:ProviderSite", ["xlink:href": site]) }
            xml.open("ows:ServiceContact")
            if let name = service.contactName { xml.element("ows:IndividualName", name) }
            if let email = service.contactEmail {
                xml.open("ows:ContactInfo")
                xml.open("ows:Address")
                xml.element("ows:ElectronicMailAddress", email)
                xml.close("ows:Address")
                xml.close("ows:ContactInfo")
            }
            xml.close("ows:ServiceContact")
            xml.close("ows:ServiceProvider")
        }
    }

    private func operationsMetadata(_ xml: inout XMLWriter) {
        xml.open("ows:OperationsMetadata")
        operation("GetCapabilities", restful: capabilitiesURL, &xml)
        operation("GetTile", restful: baseURL + "/wmts/", &xml)
        xml.close("ows:OperationsMetadata")
    }

    private func operation(_ name: String, restful: String, _ xml: inout XMLWriter) {
        xml.open("ows:Operation", ["name": name])
        xml.open("ows:DCP")
        xml.open("ows:HTTP")
        for (href, encoding) in [(baseURL + "/wmts?", "KVP"), (restful, "RESTful")] {
            xml.open("ows:Get", ["xlink:href": href])
            xml.open("ows:Constraint", ["name": "GetEncoding"])
            xml.open("ows:AllowedValues")
            xml.element("ows:Value", encoding)
            xml.close("ows:AllowedValues")
            xml.close("ows:Constraint")
            xml.close("ows:Get")
        }
        xml.close("ows:HTTP")
        xml.close("ows:DCP")
        xml.close("ows:Operation")
    }

    private func layer(_ layer: Layer, _ xml: inout XMLWriter) {
        xml.open("Layer")
        xml.element("ows:Title", layer.title)
        if !layer.bounds.isEmpty {
            xml.open("ows:WGS84BoundingBox")
            xml.element("ows:LowerCorner", Self.number(layer.bounds.minX) + " " + Self.number(layer.bounds.minY))
            xml.element("ows:UpperCorner", Self.number(layer.bounds.maxX) + " " + Self.number(layer.bounds.maxY))
            xml.close("ows:WGS84BoundingBox")
        }
        xml.element("ows:Identifier", layer.name)
        xml.open("Style", ["isDefault": "true"])
        xml.element("ows:Identifier", Self.style)
        xml.close("Style")
        xml.element("Format", Self.format)
        for offer in layer.offers {
            xml.open("TileMatrixSetLink")
            xml.element("TileMatrixSet", offer.grid.identifier)
            if let levels = offer.levels {
                // The WMTS 1.0.0 schema types these limits as xs:positiveInteger, so a limit of row
                // or column 0 cannot be written validly; the element is optional, and then clients
                // take the whole matrix.
                let ranges = levels.map { offer.limits(at: $0) }
                if ranges.allSatisfy({ $0.minX > 0 && $0.minY > 0 }) {
                    xml.open("TileMatrixSetLimits")
                    for range in ranges {
                        xml.open("TileMatrixLimits")
                        xml.element("TileMatrix", String(range.z))
                        xml.element("MinTileRow", String(range.minY))
                        xml.element("MaxTileRow", String(range.maxY))
                        xml.element("MinTileCol", String(range.minX))
                        xml.element("MaxTileCol", String(range.maxX))
                        xml.close("TileMatrixLimits")
                    }
                    xml.close("TileMatrixSetLimits")
                }
            }
            xml.close("TileMatrixSetLink")
        }
        xml.empty("ResourceURL", [
            "format": Self.format,
            "resourceType": "tile",
            "template": baseURL + "/wmts/" + layer.name + "/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.png",
        ])
        xml.close("Layer")
    }

    private func tileMatrixSet(_ grid: TileGrid, _ xml: inout XMLWriter) {
        xml.open("TileMatrixSet")
        xml.element("ows:Title", grid.title)
        xml.element("ows:Identifier", grid.identifier)
        xml.element("ows:SupportedCRS", Self.crsURN(grid.crs))
        if grid.identifier == TileGrid.webMercator.identifier {
            xml.element("WellKnownScaleSet", "urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible")
        }
        // EPSG geographic CRSs list latitude first; projected ones used here are easting, northing.
        let corner = grid.isGeographic
            ? Self.number(grid.origin.y) + " " + Self.number(grid.origin.x)
            : Self.number(grid.origin.x) + " " + Self.number(grid.origin.y)
        for z in grid.resolutions.indices {
            let size = grid.matrixSize(at: z)
            xml.open("TileMatrix")
            xml.element("ows:Identifier", String(z))
            xml.element("ScaleDenominator", Self.number(grid.scaleDenominator(at: z)))
            xml.element("TopLeftCorner", corner)
            xml.element("TileWidth", String(grid.tileSize))
            xml.element("TileHeight", String(grid.tileSize))
            xml.element("MatrixWidth", String(size.columns))
            xml.element("MatrixHeight", String(size.rows))
            xml.close("TileMatrix")
        }
        xml.close("TileMatrixSet")
    }

    static func crsURN(_ crs: CRSDefinition) -> String {
        switch crs {
        case .epsg(let code): return "urn:ogc:def:crs:EPSG::\(code)"
        case .text(let text): return text
        }
    }

    /// Shortest text that reads back as the same double; whole numbers without ".0".
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
