import CairnPostGIS
import Testing

struct WALPositionTests {
    @Test func parsesAndPrintsPostgresLSNs() {
        #expect(WALPosition(parsing: "0/3000060")?.value == 0x3000060)
        #expect(WALPosition(parsing: "16/B374D848")?.value == 0x16_B374_D848)
        #expect(WALPosition(parsing: "16/B374D848")?.description == "16/B374D848")
        #expect(WALPosition(parsing: "FFFFFFFF/FFFFFFFF")?.value == UInt64.max)
        for bad in ["", "/", "0/", "/1", "1/2/3", "G/0", "123456789/0", "0x1/2", " 0/1"] {
            #expect(WALPosition(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func ordersByTheWholeSixtyFourBits() throws {
        let low = try #require(WALPosition(parsing: "0/FFFFFFFF"))
        let high = try #require(WALPosition(parsing: "1/0"))
        #expect(low < high)
    }

    /// The insert position just past a page header is the end of the record before the header.
    @Test func aPositionPastAPageHeaderIsTheRecordEndBeforeIt() {
        #expect(WALPosition(8192 * 5 + 24).asRecordEnd == WALPosition(8192 * 5))
        #expect(WALPosition((16 << 20) * 3 + 40).asRecordEnd == WALPosition((16 << 20) * 3))
        #expect(WALPosition(8192 * 5 + 100).asRecordEnd == WALPosition(8192 * 5 + 100))
        #expect(WALPosition(8192 * 5).asRecordEnd == WALPosition(8192 * 5))
    }
}
