import Foundation

/// Writes an OpenStreetMap PBF file (https://wiki.openstreetmap.org/wiki/PBF_Format) at test time,
/// so tests of OSM readers need no binary fixture and no osmium: points become tagged nodes, lines
/// tagged open ways, and each (multi)polygon a `type=multipolygon` relation whose rings are untagged
/// closed ways with the roles outer (each polygon's first ring) and inner.
///
/// The file holds an OSMHeader blob (required features "OsmSchema-V0.6" and "DenseNodes") and then
/// OSMData blobs — dense nodes, then ways, then relations, ids increasing from 1 in each — stored
/// with the spec's `raw` field rather than zlib, which test support has no wrapper for. Coordinates
/// keep 1e-7 degrees (granularity 100 nanodegrees), as OSM does, so readers see them rounded there.
public enum OSMPBFWriter {
    public typealias Coordinate = (lon: Double, lat: Double)

    /// The spec recommends at most 8000 entities per block.
    static let entitiesPerBlock = 8000

    public static func write(points: [(tags: [String: String], point: Coordinate)] = [],
                             lines: [(tags: [String: String], line: [Coordinate])] = [],
                             polygons: [(tags: [String: String], polygons: [[[Coordinate]]])] = [],
                             to path: String) throws {
        var data = OSMData()
        for point in points { data.addNode(point.point, tags: point.tags) }
        for line in lines { data.addWay(line.line.map { data.addNode($0) }, tags: line.tags) }
        for feature in polygons {
            var members: [(way: Int64, role: String)] = []
            for polygon in feature.polygons {
                for (index, ring) in polygon.enumerated() {
                    var ring = ring
                    if ring.count > 1, let first = ring.first, let last = ring.last, first.lon == last.lon, first.lat == last.lat {
                        ring.removeLast()
                    }
                    guard ring.count >= 3 else { continue }
                    let nodes = ring.map { data.addNode($0) }
                    members.append((data.addWay(nodes + [nodes[0]]), index == 0 ? "outer" : "inner"))
                }
            }
            data.addRelation(members, tags: ["type": "multipolygon"].merging(feature.tags) { _, given in given })
        }

        var file: [UInt8] = []
        appendBlob(type: "OSMHeader", data.headerBlock(), to: &file)
        for block in data.primitiveBlocks() { appendBlob(type: "OSMData", block, to: &file) }
        try Data(file).write(to: URL(fileURLWithPath: path))
    }

    /// A 4-byte big-endian BlobHeader length, the BlobHeader, then the Blob with its bytes raw.
    private static func appendBlob(type: String, _ payload: [UInt8], to file: inout [UInt8]) {
        var blob = ProtobufMessageWriter()
        blob.bytes(1, payload) // raw; raw_size is only for compressed data
        var header = ProtobufMessageWriter()
        header.string(1, type)
        header.int(3, Int64(blob.bytes.count))
        withUnsafeBytes(of: UInt32(header.bytes.count).bigEndian) { file += $0 }
        file += header.bytes
        file += blob.bytes
    }
}

/// The entities of one file, numbered as they are added.
private struct OSMData {
    struct Node { var id: Int64; var lat: Int64; var lon: Int64; var tags: [(String, String)] }
    struct Way { var id: Int64; var refs: [Int64]; var tags: [(String, String)] }
    struct Relation { var id: Int64; var members: [(way: Int64, role: String)]; var tags: [(String, String)] }

    var nodes: [Node] = []
    var ways: [Way] = []
    var relations: [Relation] = []

    /// Degrees in units of 1e-7 (granularity 100 nanodegrees, no offset).
    static func fixed(_ degrees: Double) -> Int64 { Int64((degrees * 1e7).rounded()) }

    static func sorted(_ tags: [String: String]) -> [(String, String)] { tags.sorted { $0.key < $1.key } }

    @discardableResult
    mutating func addNode(_ coordinate: OSMPBFWriter.Coordinate, tags: [String: String] = [:]) -> Int64 {
        let id = Int64(nodes.count + 1)
        nodes.append(Node(id: id, lat: Self.fixed(coordinate.lat), lon: Self.fixed(coordinate.lon), tags: Self.sorted(tags)))
        return id
    }

    @discardableResult
    mutating func addWay(_ refs: [Int64], tags: [String: String] = [:]) -> Int64 {
        let id = Int64(ways.count + 1)
        ways.append(Way(id: id, refs: refs, tags: Self.sorted(tags)))
        return id
    }

    mutating func addRelation(_ members: [(way: Int64, role: String)], tags: [String: String]) {
        relations.append(Relation(id: Int64(relations.count + 1), members: members, tags: Self.sorted(tags)))
    }

    func headerBlock() -> [UInt8] {
        var header = ProtobufMessageWriter()
        if !nodes.isEmpty {
            // HeaderBBox in nanodegrees: left, right, top, bottom.
            header.message(1) { box in
                box.sint(1, nodes.map(\.lon).min()! * 100)
                box.sint(2, nodes.map(\.lon).max()! * 100)
                box.sint(3, nodes.map(\.lat).max()! * 100)
                box.sint(4, nodes.map(\.lat).min()! * 100)
            }
        }
        header.string(4, "OsmSchema-V0.6")
        header.string(4, "DenseNodes")
        header.string(16, "Cairn tests (CairnTestSupport.OSMPBFWriter)")
        return header.bytes
    }

    /// PrimitiveBlocks of one group each: nodes first, then ways, then relations, as readers expect.
    func primitiveBlocks() -> [[UInt8]] {
        var blocks: [[UInt8]] = []
        for chunk in nodes.chunked(OSMPBFWriter.entitiesPerBlock) {
            blocks.append(Self.block { strings, group in
                group.message(2) { dense in
                    dense.packedSInt(1, chunk.map(\.id), delta: true)
                    dense.packedSInt(8, chunk.map(\.lat), delta: true)
                    dense.packedSInt(9, chunk.map(\.lon), delta: true)
                    if chunk.contains(where: { !$0.tags.isEmpty }) {
                        // Key and value string ids per node, each node's list ended by 0.
                        dense.packedUInt(10, chunk.flatMap { node in
                            node.tags.flatMap { [strings.id($0.0), strings.id($0.1)] } + [0]
                        })
                    }
                }
            })
        }
        for chunk in ways.chunked(OSMPBFWriter.entitiesPerBlock) {
            blocks.append(Self.block { strings, group in
                for way in chunk {
                    group.message(3) { message in
                        message.int(1, way.id)
                        message.packedUInt(2, way.tags.map { strings.id($0.0) })
                        message.packedUInt(3, way.tags.map { strings.id($0.1) })
                        message.packedSInt(8, way.refs, delta: true)
                    }
                }
            })
        }
        for chunk in relations.chunked(OSMPBFWriter.entitiesPerBlock) {
            blocks.append(Self.block { strings, group in
                for relation in chunk {
                    group.message(4) { message in
                        message.int(1, relation.id)
                        message.packedUInt(2, relation.tags.map { strings.id($0.0) })
                        message.packedUInt(3, relation.tags.map { strings.id($0.1) })
                        message.packedUInt(8, relation.members.map { strings.id($0.role) })
                        message.packedSInt(9, relation.members.map(\.way), delta: true)
                        message.packedUInt(10, relation.members.map { _ in 1 }) // MemberType WAY
                    }
                }
            })
        }
        return blocks
    }

    /// A PrimitiveBlock with one PrimitiveGroup built by `fill`, and the string table it used.
    private static func block(_ fill: (inout StringTable, inout ProtobufMessageWriter) -> Void) -> [UInt8] {
        var strings = StringTable()
        var group = ProtobufMessageWriter()
        fill(&strings, &group)
        var block = ProtobufMessageWriter()
        block.message(1) { table in
            for string in strings.strings { table.bytes(1, Array(string.utf8)) }
        }
        block.bytes(2, group.bytes)
        block.int(17, 100) // granularity, nanodegrees
        return block.bytes
    }
}

/// A block's strings, by index; index 0 is the empty string, which the format reserves.
private struct StringTable {
    private(set) var strings: [String] = [""]
    private var ids: [String: UInt64] = ["": 0]

    mutating func id(_ string: String) -> UInt64 {
        if let id = ids[string] { return id }
        let id = UInt64(strings.count)
        strings.append(string)
        ids[string] = id
        return id
    }
}

private extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
