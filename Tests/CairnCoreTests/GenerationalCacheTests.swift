import CairnCore
import Testing

@Suite struct GenerationalCacheTests {
    @Test func valuesInUseStayAndTheRestGoAfterTwoGenerations() {
        var cache = GenerationalCache<Int, String>(generationSize: 2)
        var made: [Int] = []
        func value(_ key: Int) -> String { cache.value(key) { made.append(key); return "v\(key)" } }
        #expect(value(1) == "v1" && value(2) == "v2")
        #expect(value(1) == "v1" && made == [1, 2], "a hit makes nothing")
        _ = value(3)  // the newer generation was full: 1 and 2 become the older one
        _ = value(1)  // found in the older generation, moved to the newer
        _ = value(4)  // full again: 3 and 1 become the older one, 2 is dropped
        #expect(made == [1, 2, 3, 4])
        _ = value(1)
        _ = value(2)
        #expect(made == [1, 2, 3, 4, 2], "1 was in use and stayed, 2 was not and was made again")
    }
}
