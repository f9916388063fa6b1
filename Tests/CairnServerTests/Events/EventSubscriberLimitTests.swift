import CairnConfiguration
import Testing

/// `limits.max_event_subscribers` in the configuration file.
struct EventSubscriberLimitTests {
    static func parse(_ line: String) throws -> CairnConfiguration {
        try CairnConfiguration.parse(yaml: """
            limits:
            \(line)
            maps:
              - name: mini
                style: \(ServerFixtures.miniStyle)
            """, path: "/tmp/cairn.yaml")
    }

    @Test func theLimitIsReadWithADefaultOfAThousand() throws {
        #expect(try Self.parse("  render_queue: 8").limits.maxEventSubscribers == 1_000)
        #expect(try Self.parse("  max_event_subscribers: 25").limits.maxEventSubscribers == 25)
        #expect(try Self.parse("  max_event_subscribers: 0").limits.maxEventSubscribers == 0)
    }

    @Test func aBadLimitNamesItsKey() {
        #expect {
            try Self.parse("  max_event_subscribers: many")
        } throws: { error in
            String(describing: error).contains("limits.max_event_subscribers: expected an integer from 0 to 1000000")
        }
    }
}
