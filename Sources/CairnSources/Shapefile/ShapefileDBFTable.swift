import CairnCore
import Foundation

/// The attribute table of a shapefile (dBase III/IV .dbf), read in place.
///
/// Field types: C (text, trailing padding trimmed, empty -> null as in GDAL), N/F (numeric:
/// `.int` when the field has no decimals and the text is an integer, otherwise `.double`;
/// blank or unparsable -> null), L (T/Y -> true, F/N -> false, ? or blank -> null), D
/// (YYYYMMDD -> "YYYY-MM-DD" text; blank or 00000000 -> null), I and + (binary int32), O
/// (binary double). Memo and binary types (M, G, P, B, T, @, Y, 0) are not read and give null;
/// other types give their trimmed text.
struct ShapefileDBFTable {
    struct Field {
        let name: String
        let type: UInt8
        /// Offset inside a record (the deletion flag is byte 0).
        let offset: Int
        let length: Int
        let decimals: Int
    }

    let dbf: ShapefileByteView
    let fields: [Field]
    let recordCount: Int
    let headerLength: Int
    let recordLength: Int
    let encoding: ShapefileTextEncoding

    /// `legacyEncoding`, when given, is used instead of the one the .cpg or the language driver names.
    init(dbf: ShapefileByteView, cpg: String?, legacyEncoding: LegacyTextEncoding? = nil) throws {
        self.dbf = dbf
        try dbf.require(0, 32, "dBase header")
        recordCount = Int(dbf.uint32LE(4))
        headerLength = Int(dbf.uint16LE(8))
        recordLength = Int(dbf.uint16LE(10))
        encoding = legacyEncoding.map(ShapefileTextEncoding.legacy) ?? ShapefileTextEncoding(cpg: cpg, languageDriver: dbf.uint8(29))
        guard headerLength >= 33, recordLength >= 1 else {
            throw SourceError(.malformed, path: dbf.path,
                              "dBase header: header length \(headerLength) or record length \(recordLength) is too small")
        }
        try dbf.require(0, headerLength, "dBase field descriptors")

        var fields: [Field] = []
        var descriptor = 32
        var recordOffset = 1
        while descriptor + 32 <= headerLength, dbf.uint8(descriptor) != 0x0D {
            let nameBytes = UnsafeRawBufferPointer(rebasing: dbf.raw[descriptor..<(descriptor + 11)])
            let nameEnd = nameBytes.firstIndex(of: 0) ?? 11
            let name = encoding.decode(UnsafeRawBufferPointer(rebasing: nameBytes[0..<nameEnd]))
                .trimmingCharacters(in: .whitespaces)
            let length = Int(dbf.uint8(descriptor + 16))
            fields.append(Field(name: name, type: dbf.uint8(descriptor + 11), offset: recordOffset,
                                length: length, decimals: Int(dbf.uint8(descriptor + 17))))
            recordOffset += length
            descriptor += 32
        }
        guard recordOffset <= recordLength else {
            throw SourceError(.malformed, path: dbf.path,
                              "dBase header: fields need \(recordOffset) bytes per record but records are \(recordLength) bytes")
        }
        self.fields = fields
        try dbf.require(headerLength, recordCount * recordLength, "\(recordCount) dBase records of \(recordLength) bytes")
    }

    /// True when the record carries the '*' deletion flag.
    func isDeleted(_ record: Int) -> Bool {
        dbf.uint8(headerLength + record * recordLength) == 0x2A
    }

    /// The indices of the fields to read: all of them, or those named in `attributes`.
    func fieldIndices(for attributes: Set<String>?) -> [Int] {
        guard let attributes else { return Array(fields.indices) }
        return fields.indices.filter { attributes.contains(fields[$0].name) }
    }

    func properties(of record: Int, fieldIndices: [Int]) -> [String: PropertyValue] {
        let start = headerLength + record * recordLength
        var properties: [String: PropertyValue] = [:]
        properties.reserveCapacity(fieldIndices.count)
        for index in fieldIndices {
            let field = fields[index]
            let bytes = UnsafeRawBufferPointer(rebasing: dbf.raw[(start + field.offset)..<(start + field.offset + field.length)])
            properties[field.name] = value(of: field, bytes)
        }
        return properties
    }

    private func value(of field: Field, _ bytes: UnsafeRawBufferPointer) -> PropertyValue {
        switch field.type {
        case UInt8(ascii: "C"):
            let text = trimmed(bytes, leading: false)
            return text.isEmpty ? .null : .string(encoding.decode(text))
        case UInt8(ascii: "N"), UInt8(ascii: "F"):
            let text = trimmed(bytes, leading: true)
            if text.isEmpty { return .null }
            let string = String(decoding: text, as: UTF8.self)
            if field.decimals == 0, let integer = Int64(string) { return .int(integer) }
            if let double = Double(string) { return .double(double) }
            return .null
        case UInt8(ascii: "L"):
            switch trimmed(bytes, leading: true).first {
            case UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: "Y"), UInt8(ascii: "y"): return .bool(true)
            case UInt8(ascii: "F"), UInt8(ascii: "f"), UInt8(ascii: "N"), UInt8(ascii: "n"): return .bool(false)
            default: return .null
            }
        case UInt8(ascii: "D"):
            let text = trimmed(bytes, leading: true)
            if text.isEmpty || text.allSatisfy({ $0 == UInt8(ascii: "0") }) { return .null }
            let string = String(decoding: text, as: UTF8.self)
            if text.count == 8, text.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                let characters = Array(string)
                return .string("\(String(characters[0..<4]))-\(String(characters[4..<6]))-\(String(characters[6..<8]))")
            }
            return .string(string)
        case UInt8(ascii: "I"), UInt8(ascii: "+"):
            guard bytes.count == 4 else { return .null }
            if field.type == UInt8(ascii: "+") {
                // dBase 7 autoincrement: big-endian with the sign bit flipped.
                return .int(Int64(Int32(bitPattern: UInt32(bigEndian: bytes.loadUnaligned(as: UInt32.self)) ^ 0x8000_0000)))
            }
            return .int(Int64(Int32(littleEndian: bytes.loadUnaligned(as: Int32.self))))
        case UInt8(ascii: "O"):
            guard bytes.count == 8 else { return .null }
            return .double(Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))))
        case UInt8(ascii: "M"), UInt8(ascii: "G"), UInt8(ascii: "P"), UInt8(ascii: "B"), UInt8(ascii: "T"),
             UInt8(ascii: "@"), UInt8(ascii: "Y"), UInt8(ascii: "0"):
            return .null
        default:
            let text = trimmed(bytes, leading: true)
            return text.isEmpty ? .null : .string(encoding.decode(text))
        }
    }

    /// The bytes without trailing (and optionally leading) spaces and NULs.
    private func trimmed(_ bytes: UnsafeRawBufferPointer, leading: Bool) -> UnsafeRawBufferPointer {
        var lower = bytes.startIndex
        var upper = bytes.endIndex
        while upper > lower, bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0 { upper -= 1 }
        if leading {
            while lower < upper, bytes[lower] == 0x20 { lower += 1 }
        }
        return UnsafeRawBufferPointer(rebasing: bytes[lower..<upper])
    }
}
