@testable import CairnAccess
import Testing

struct ConstantTimeTests {
    @Test func equalAndUnequal() {
        #expect(ConstantTime.equals(Array("abc".utf8), Array("abc".utf8)))
        #expect(!ConstantTime.equals(Array("abd".utf8), Array("abc".utf8)))
        #expect(!ConstantTime.equals(Array("ab".utf8), Array("abc".utf8)))
        #expect(!ConstantTime.equals(Array("abcd".utf8), Array("abc".utf8)))
        #expect(!ConstantTime.equals([UInt8](), [UInt8]()))
    }
}
