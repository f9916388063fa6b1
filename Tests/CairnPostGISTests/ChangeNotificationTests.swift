import CairnCore
import CairnPostGIS
import Testing

/// The payload Cairn's triggers send, and what happens to anything else on the channel.
struct ChangeNotificationTests {
    @Test func readsTheTriggersPayload() throws {
        let payload = #"{"v" : 1, "table" : "public.roads", "op" : "UPDATE", "at" : 1764945000.25, "srid" : 4326, "rows" : 2, "boxes" : [[106.6,20.8,106.61,20.81],[106.7,20.9,106.7,20.9]]}"#
        let notification = try ChangeNotification(payload: payload)
        #expect(notification.table == PostGISTableName(schema: "public", table: "roads"))
        #expect(notification.operation == "UPDATE")
        #expect(notification.statementTime == 1764945000.25)
        #expect(notification.srid == 4326)
        #expect(notification.boxes == [BoundingBox(minX: 106.6, minY: 20.8, maxX: 106.61, maxY: 20.81),
                                       BoundingBox(minX: 106.7, minY: 20.9, maxX: 106.7, maxY: 20.9)])
        #expect(!notification.wholeTable)
    }

    @Test func truncateIsTheWholeTable() throws {
        let notification = try ChangeNotification(payload: #"{"v":1,"table":"city.parcels","op":"TRUNCATE","at":1764945000,"all":true}"#)
        #expect(notification.wholeTable)
        #expect(notification.boxes.isEmpty)
        #expect(notification.table.schema == "city")
    }

    @Test(arguments: [
        ("garbage", "not JSON"),
        (#"{"event":"order_created","id":7}"#, "$.v: expected 1"),
        (#"[1,2]"#, "expected a JSON object, got array"),
        (#"{"v":1,"table":"a.b.c","op":"UPDATE","at":1,"srid":4326,"boxes":[[0,0,1,1]]}"#, "$.table"),
        (#"{"v":1,"table":"roads","op":"MERGE","at":1,"srid":4326,"boxes":[[0,0,1,1]]}"#, "$.op"),
        (#"{"v":1,"table":"roads","op":"UPDATE","srid":4326,"boxes":[[0,0,1,1]]}"#, "$.at"),
        (#"{"v":1,"table":"roads","op":"UPDATE","at":1,"boxes":[[0,0,1,1]]}"#, "$.srid"),
        (#"{"v":1,"table":"roads","op":"UPDATE","at":1,"srid":4326,"boxes":[]}"#, "$.boxes: expected a non-empty list"),
        (#"{"v":1,"table":"roads","op":"UPDATE","at":1,"srid":4326,"boxes":[[0,0,1]]}"#, "$.boxes[0]"),
        (#"{"v":1,"table":"roads","op":"UPDATE","at":1,"srid":4326,"boxes":[[0,0,1,1],[5,0,1,1]]}"#, "$.boxes[1]: expected [minX, minY, maxX, maxY] with min <= max"),
    ])
    func foreignOrMalformedPayloadsAreRefusedWithWhereAndWhat(payload: String, expected: String) {
        #expect {
            _ = try ChangeNotification(payload: payload)
        } throws: { error in
            (error as? ChangeNotificationError)?.message.contains(expected) == true
        }
    }

    @Test func triggersQuoteNamesAndShareOneFunction() throws {
        let triggers = try ChangeTriggers(table: PostGISTableName(schema: "Quận \"1\"", table: "đường"), geometryColumn: "the'geom")
        let script = ChangeTriggers.script(triggers.installStatements)
        #expect(script.contains(#"AFTER UPDATE ON "Quận ""1"""."đường" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"#))
        #expect(script.contains(#"EXECUTE FUNCTION "Quận ""1""".cairn_notify_changes('the''geom')"#))
        #expect(script.contains("pg_notify('cairn_changes'"))
        #expect(script.hasPrefix("BEGIN;\n") && script.hasSuffix("COMMIT;\n"))
        // Four triggers, each dropped first so re-installing replaces them.
        #expect(triggers.installStatements.filter { $0.hasPrefix("CREATE TRIGGER") }.count == 4)
        #expect(triggers.installStatements.filter { $0.hasPrefix("DROP TRIGGER IF EXISTS") }.count == 4)
        #expect(throws: ChangeTriggerError.self) { try ChangeTriggers(table: PostGISTableName(table: "t"), geometryColumn: "") }
    }
}
