import CairnCore
import CairnSources
import PostgresNIO

/// The one query a metatile (or vector tile) makes of a table: the features whose box meets `box`
/// (in the table's CRS, so the GiST index on the geometry column is used), only the attributes the
/// style reads, geometry as WKB, optionally simplified, at most `limit` rows. Every value is a bound
/// parameter; the identifiers (validated when the style loaded) are quoted.
public struct PostGISFeatureQuery: Sendable {
    public var table: PostGISTable
    /// The attributes the style reads that are columns of the table.
    public var attributes: [String]

    /// Attributes the table lacks are left out: they read as missing, as from files (styles
    /// `coalesce` alternative names); validation and the first render warn about them.
    public init(table: PostGISTable, attributes: some Sequence<String>) {
        self.table = table
        self.attributes = Set(attributes).filter { table.columnTypes[$0] != nil }.sorted()
    }

    /// Types decoded as they are; any other type is read as its text.
    static let decodedTypes: Set<String> = ["text", "varchar", "bpchar", "name", "int2", "int4", "int8", "float4", "float8", "bool"]

    /// The statement, with `$1…$4` the box, `$5` the SRID, `$6` the row limit and, when simplifying, `$7` the tolerance.
    public func sql(simplifying: Bool) -> String {
        let geometry = SQLIdentifier.quote(table.geometryColumn)
        let shape = simplifying ? "ST_Simplify(\(geometry), $7::float8, true)" : geometry
        var select = ["ST_AsBinary(\(shape))"]
        for attribute in attributes {
            let column = SQLIdentifier.quote(attribute)
            switch table.columnTypes[attribute] {
            case let type? where Self.decodedTypes.contains(type): select.append(column)
            // numeric as float8: what style expressions compute with.
            case "numeric": select.append("\(column)::float8")
            default: select.append("\(column)::text")
            }
        }
        return "SELECT \(select.joined(separator: ", ")) FROM \(table.name.quoted) WHERE \(geometry) && ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8, $5::int4) LIMIT $6::int8"
    }

    /// The query for `box` (table CRS), at most `limit` rows, simplified with `tolerance` (table units) when over 0.
    public func query(box: BoundingBox, limit: Int, tolerance: Double) -> PostgresQuery {
        var binds = PostgresBindings()
        binds.append(box.minX)
        binds.append(box.minY)
        binds.append(box.maxX)
        binds.append(box.maxY)
        binds.append(Int32(table.srid))
        binds.append(Int64(limit))
        if tolerance > 0 { binds.append(tolerance) }
        return PostgresQuery(unsafeSQL: sql(simplifying: tolerance > 0), binds: binds)
    }
}

/// Rows as they came from the database, decoded into features on the render threads.
public struct PostGISRows: Sendable {
    public var table: PostGISTable
    public var attributes: [String]
    public var rows: [PostgresRow]

    public init(table: PostGISTable, attributes: [String], rows: [PostgresRow]) {
        self.table = table
        self.attributes = attributes
        self.rows = rows
    }

    public var count: Int { rows.count }

    /// The features (in the table's CRS); rows without geometry are skipped.
    /// - Throws: `PostGISError(.badData)` for a geometry that is not WKB.
    public func features() throws -> [Feature] {
        var features: [Feature] = []
        features.reserveCapacity(rows.count)
        for row in rows {
            var cells = row.makeIterator()
            guard let geometryCell = cells.next(), let bytes = geometryCell.bytes else { continue }
            let geometry: Geometry
            do {
                geometry = try WKBDecoder.decode(Array(bytes.readableBytesView))
            } catch {
                throw PostGISError(.badData, "table \(table.name): a geometry could not be decoded: \(error)", context: ["table": table.name.description])
            }
            var properties: [String: PropertyValue] = [:]
            for attribute in attributes {
                guard let cell = cells.next() else { break }
                properties[attribute] = Self.value(of: cell)
            }
            features.append(Feature(geometry: geometry, properties: properties))
        }
        return features
    }

    static func value(of cell: PostgresCell) -> PropertyValue {
        guard cell.bytes != nil else { return .null }
        do {
            switch cell.dataType {
            case .bool: return .bool(try cell.decode(Bool.self))
            case .int2: return .int(Int64(try cell.decode(Int16.self)))
            case .int4: return .int(Int64(try cell.decode(Int32.self)))
            case .int8: return .int(try cell.decode(Int64.self))
            case .float4: return .double(Double(try cell.decode(Float.self)))
            case .float8: return .double(try cell.decode(Double.self))
            default: return .string(try cell.decode(String.self))
            }
        } catch {
            return .null
        }
    }
}
