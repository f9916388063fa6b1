internal import CProj

/// One coordinate reference system object (`PJ*`), tied to the context (and thread) that made it.
public final class ProjCRS {
    let handle: OpaquePointer
    /// Kept so the context outlives this object.
    public let context: ProjContext
    /// The text the CRS was created from (after resolution, e.g. `EPSG:9210` for an identified `.prj`).
    public let definition: String

    /// Creates a CRS from anything `proj_create` accepts: `EPSG:n`, WKT1/ESRI WKT/WKT2, PROJJSON or a PROJ string.
    public init(_ definition: String, context: ProjContext) throws {
        let description = ProjContext.describe(definition)
        context.clearLog()
        guard let object = proj_create(context.handle, definition) else {
            throw context.lastError(crs: description, action: "creating CRS", fallback: "PROJ could not parse the definition")
        }
        guard proj_is_crs(object) != 0 else {
            proj_destroy(object)
            throw ProjError(
                errno: 0, message: "the definition is a PROJ object but not a coordinate reference system",
                crs: description, action: "creating CRS")
        }
        self.handle = object
        self.context = context
        self.definition = definition
    }

    deinit {
        proj_destroy(handle)
    }

    /// The CRS's own name, e.g. "VN-2000 / TM-3 105-45".
    public var name: String? {
        proj_get_name(handle).map { String(cString: $0) }
    }

    /// The EPSG code the definition itself carries (`EPSG:n`, WKT `AUTHORITY`/`ID`), if any.
    public var declaredEPSG: Int? {
        guard let authority = proj_get_id_auth_name(handle, 0), String(cString: authority) == "EPSG",
            let code = proj_get_id_code(handle, 0)
        else { return nil }
        return Int(String(cString: code))
    }

    /// True for a CRS with an explicit datum shift to WGS 84 (WKT1 `TOWGS84`, PROJ `+towgs84`).
    public var hasExplicitDatumShift: Bool {
        proj_get_type(handle) == PJ_TYPE_BOUND_CRS
    }

    /// The EPSG CRS this one matches best (`proj_identify` against the EPSG authority),
    /// if its confidence is at least `minimumConfidence` percent. PROJ reports 100 for an
    /// exact match and 70 for the same definition under a different name (typical of ESRI `.prj`).
    public func identifyEPSG(minimumConfidence: Int = 70) -> Int? {
        if let declared = declaredEPSG { return declared }
        var confidences: UnsafeMutablePointer<Int32>?
        guard let matches = proj_identify(context.handle, handle, "EPSG", nil, &confidences) else { return nil }
        defer {
            proj_list_destroy(matches)
            proj_int_list_destroy(confidences)
        }
        var best: (code: Int, confidence: Int)?
        for position in 0..<proj_list_get_count(matches) {
            let confidence = Int(confidences?[Int(position)] ?? 0)
            guard confidence >= minimumConfidence, confidence > (best?.confidence ?? -1),
                let match = proj_list_get(context.handle, matches, position)
            else { continue }
            defer { proj_destroy(match) }
            if let authority = proj_get_id_auth_name(match, 0), String(cString: authority) == "EPSG",
                let codeText = proj_get_id_code(match, 0), let code = Int(String(cString: codeText))
            {
                best = (code, confidence)
            }
        }
        return best?.code
    }

    /// Creates the CRS for `definition` and, when it is WKT without an authority code and
    /// without `TOWGS84` (an ESRI `.prj`), replaces it with the EPSG CRS it identifies as,
    /// so transformations use the datum shift EPSG registers for it (e.g. EPSG:9210's
    /// VN-2000 -> WGS 84 Helmert, without which Hai Phong lands ~224 m off).
    public static func resolving(_ definition: String, context: ProjContext) throws -> ProjCRS {
        let crs = try ProjCRS(definition, context: context)
        let trimmed = definition.trimmingWhitespace()
        let isWKT = trimmed.first?.isLetter == true && trimmed.contains("[")
        guard isWKT, crs.declaredEPSG == nil, !crs.hasExplicitDatumShift,
            let code = crs.identifyEPSG()
        else { return crs }
        return (try? ProjCRS("EPSG:\(code)", context: context)) ?? crs
    }
}
