import Foundation
import Testing
import CairnServer

/// Where the admin token comes from and which tokens are refused.
struct AdminTokenTests {
    let good = "0123456789abcdef0123"

    @Test func comesFromTheEnvironmentOrAFile() throws {
        #expect(try AdminToken.load(environment: [:]) == nil)
        #expect(try AdminToken.load(environment: ["CAIRN_ADMIN_TOKEN": good + "\n"]) == good)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-token-\(UUID().uuidString)")
        try Data("\(good)x\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try AdminToken.load(environment: ["CAIRN_ADMIN_TOKEN": good], file: file.path) == good + "x")
        #expect(throws: AdminTokenError.self) { try AdminToken.load(environment: [:], file: file.path + "-missing") }
    }

    @Test(arguments: ["short-token", "0123456789 abcdef0123", "0123456789abcdéf0123", ""])
    func unacceptableTokensAreRefusedWithoutShowingThem(token: String) throws {
        let error = #expect(throws: AdminTokenError.self) { try AdminToken.load(environment: ["CAIRN_ADMIN_TOKEN": token]) }
        #expect(error?.message.contains("CAIRN_ADMIN_TOKEN") == true)
        if !token.isEmpty { #expect(error?.message.contains(token) == false) }
    }
}
