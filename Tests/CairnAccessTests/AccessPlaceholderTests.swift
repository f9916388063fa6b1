import CairnAccess
import Testing

struct AccessPlaceholderTests {
    @Test func moduleLinks() {}
}
