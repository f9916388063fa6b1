import CairnCore

/// One edit statement, as the triggers of `ChangeTriggers` announce it on `channel`:
///
///     {"v":1,"table":"public.roads","op":"UPDATE","at":1764945000.123456,"srid":4326,"rows":2,
///      "boxes":[[minX,minY,maxX,maxY],…]}
///
/// `boxes` are the bounding boxes of the old and new geometries (or their one extent when the
/// statement touched many rows), in the table's SRID; `at` is the statement's clock time in Unix
/// seconds (the commit, which delivers the notification, comes after it). TRUNCATE sends
/// `"all":true` and no boxes: the whole table changed.
public struct ChangeNotification: Sendable, Equatable {
    /// The channel the triggers notify and the listener listens on.
    public static let channel = "cairn_changes"

    public var table: PostGISTableName
    public var operation: String
    /// The statement's clock time, Unix seconds.
    public var statementTime: Double
    /// The EPSG code of `boxes`; nil with `wholeTable`.
    public var srid: Int?
    public var boxes: [BoundingBox]
    /// Everything the table holds may have changed (TRUNCATE).
    public var wholeTable: Bool
    /// Where the primary's write-ahead log stood once the notification had arrived, when reads go to
    /// a replica (`listen_url`): the edit is committed at or before it, so a replica that has
    /// replayed this far shows it. Set by `ChangeListener`, not part of the payload.
    public var primaryPosition: WALPosition?

    public init(table: PostGISTableName, operation: String, statementTime: Double, srid: Int?, boxes: [BoundingBox], wholeTable: Bool) {
        self.table = table
        self.operation = operation
        self.statementTime = statementTime
        self.srid = srid
        self.boxes = boxes
        self.wholeTable = wholeTable
    }

    /// Parses a payload. - Throws: `ChangeNotificationError` saying what was expected where, for
    /// anything else on the channel (another program's messages, a hand-written NOTIFY).
    public init(payload: String) throws(ChangeNotificationError) {
        let document: JSONValue
        do {
            document = try JSONParser.parse(Array(payload.utf8))
        } catch {
            throw ChangeNotificationError("not JSON (\(error.message) at \(error.location))")
        }
        guard case .object = document else { throw ChangeNotificationError("expected a JSON object, got \(document.kindName)") }
        guard document[member: "v"]?.numberValue == 1 else { throw ChangeNotificationError("$.v: expected 1 (Cairn's payload version)") }
        guard let tableText = document[member: "table"]?.stringValue, let table = PostGISTableName(parsing: tableText) else {
            throw ChangeNotificationError("$.table: expected \"schema.table\"")
        }
        guard let operation = document[member: "op"]?.stringValue, ["INSERT", "UPDATE", "DELETE", "TRUNCATE"].contains(operation) else {
            throw ChangeNotificationError("$.op: expected INSERT, UPDATE, DELETE or TRUNCATE")
        }
        guard let time = document[member: "at"]?.numberValue, time.isFinite, time > 0 else {
            throw ChangeNotificationError("$.at: expected the statement's time in Unix seconds")
        }
        if document[member: "all"]?.boolValue == true {
            self.init(table: table, operation: operation, statementTime: time, srid: nil, boxes: [], wholeTable: true)
            return
        }
        guard let sridValue = document[member: "srid"]?.numberValue, sridValue >= 0, sridValue < 1_000_000, sridValue == sridValue.rounded() else {
            throw ChangeNotificationError("$.srid: expected an SRID such as 4326")
        }
        guard let items = document[member: "boxes"]?.arrayValue, !items.isEmpty else {
            throw ChangeNotificationError("$.boxes: expected a non-empty list of [minX, minY, maxX, maxY]")
        }
        var boxes: [BoundingBox] = []
        for (index, item) in items.enumerated() {
            guard let numbers = item.arrayValue?.compactMap(\.numberValue), numbers.count == 4, item.arrayValue?.count == 4,
                  numbers.allSatisfy(\.isFinite), numbers[0] <= numbers[2], numbers[1] <= numbers[3] else {
                throw ChangeNotificationError("$.boxes[\(index)]: expected [minX, minY, maxX, maxY] with min <= max")
            }
            boxes.append(BoundingBox(minX: numbers[0], minY: numbers[1], maxX: numbers[2], maxY: numbers[3]))
        }
        self.init(table: table, operation: operation, statementTime: time, srid: Int(sridValue), boxes: boxes, wholeTable: false)
    }
}

/// A payload on the channel that is not Cairn's: what was expected where.
public struct ChangeNotificationError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
    public init(_ message: String) { self.message = message }
}
