import Foundation
import Logging
import CairnTestSupport
import Testing
@testable import CairnServer

/// Issue 11, item 5 (the parts that need no socket): the connection cap derived from the
/// open-file limit, a configured cap the limit cannot carry, and the admin auth failure summary.
struct ConnectionBudgetTests {
    @Test func capIsDerivedFromTheOpenFileLimit() throws {
        let budget = try OpenFileBudget(openFiles: 1024, cacheFiles: 8, configured: nil)
        #expect(budget.maxConnections == 1024 * 3 / 4 - budget.reserved)
        #expect(budget.maxConnections < 1024 - budget.reserved)
        #expect(budget.maxConnections > 500)
        let large = try OpenFileBudget(openFiles: 65_536, cacheFiles: 8, configured: nil)
        #expect(large.maxConnections == 65_536 * 3 / 4 - large.reserved)
        // A tiny limit still leaves a usable cap.
        #expect(try OpenFileBudget(openFiles: 64, cacheFiles: 8, configured: nil).maxConnections == 16)
    }

    @Test func configuredCapAboveTheLimitIsRefused() throws {
        #expect(try OpenFileBudget(openFiles: 1024, cacheFiles: 8, configured: 800).maxConnections == 800)
        do {
            _ = try OpenFileBudget(openFiles: 1024, cacheFiles: 8, configured: 5000)
            Issue.record("a cap of 5000 under an open-file limit of 1024 was accepted")
        } catch {
            #expect(error.code == .capAboveLimit)
            #expect(error.message.contains("limits.max_connections is 5000"))
            #expect(error.message.contains("open-file limit (RLIMIT_NOFILE) is 1024"))
            #expect(error.message.contains("at most \(1024 - (64 + ConnectionPolicy.adminMaxConnections + 8))"))
            #expect(error.context["open_files"] == "1024")
        }
    }

    @Test func raisingTheOpenFileLimitReturnsTheLimitInForce() {
        let limit = OpenFileBudget.raiseOpenFileLimit()
        #expect(limit >= 64)
        #expect(limit <= 1 << 20)
    }

    @Test func gateCountsPlaces() {
        let gate = ConnectionGate(capacity: 2)
        #expect(gate.enter() && gate.enter())
        #expect(!gate.enter())
        gate.leave()
        #expect(gate.enter())
        #expect(gate.count == 2)
    }

    @Test func aFullCapIsReportedOnceAMinute() {
        let log = CapturedLog()
        let gate = ConnectionGate(capacity: 3)
        for _ in 0..<100 { gate.refusedOne(logger: log.logger()) }
        #expect(gate.refused == 100)
        #expect(log.entries.count == 1)
        #expect(log.entries.first?.message.contains("connection cap of 3 reached") == true)
    }

    @Test func refusedAdminAuthenticationsAreSummarized() async throws {
        let log = CapturedLog()
        let failures = AdminAuthFailureLog(logger: log.logger(), interval: .milliseconds(300))
        for index in 0..<500 { failures.refused(from: "192.0.2.\(index % 3)") }
        // The first at once; the rest counted, not logged one by one.
        #expect(log.entries.count == 1)
        #expect(log.entries.first?.message.contains("admin request from 192.0.2.0 refused") == true)
        // The window's end, without waiting for its timer (which other tests may hold up by
        // keeping the cooperative pool busy).
        failures.flush()
        #expect(log.entries.count == 2)
        let summary = log.entries.last?.message ?? ""
        #expect(summary.contains("499 failed admin authentication(s) from 192.0.2.1, 192.0.2.2, 192.0.2.0 in the last"), "\(summary)")
        // A quiet period later, the next refusal is logged at once again.
        failures.refused(from: "198.51.100.7")
        #expect(log.entries.count == 3)
        #expect(log.entries.last?.message.contains("198.51.100.7") == true)
        #expect(!log.entries.contains { $0.message.contains("Bearer") })
    }
}
