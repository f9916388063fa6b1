import CairnEngine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CairnServer

/// `POST /admin/seed` refuses bodies it cannot run, naming the field and what it expects.
struct AdminRequestBodyTests {
    @Test(arguments: [
        ("not json", "the body must be a JSON object"),
        (#"["mini"]"#, "the body must be a JSON object"),
        ("", "the body must be a JSON object"),
        (#"{"zooms": "11-12"}"#, "map: expected"),
        (#"{"map": 3, "zooms": "11-12"}"#, "map: expected"),
        (#"{"map": "mini"}"#, #"zooms: expected "A-B""#),
        (#"{"map": "mini", "zooms": "14-10"}"#, #"zooms: expected "A-B", [A, B] or A with 0 <= A <= B <= 24"#),
        (#"{"map": "mini", "zooms": "1-2-3"}"#, "zooms: expected"),
        (#"{"map": "mini", "zooms": "+1-2"}"#, "zooms: expected"),
        (#"{"map": "mini", "zooms": "-1-2"}"#, "zooms: expected"),
        (#"{"map": "mini", "zooms": [0, 25]}"#, "zooms: expected"),
        (#"{"map": "mini", "zooms": [1.5, 2]}"#, "zooms: expected"),
        (#"{"map": "mini", "zooms": [1, 2, 3]}"#, "zooms: expected"),
        (#"{"map": "mini", "zooms": true}"#, "zooms: expected"),
        (#"{"map": "mini", "zooms": "0-24"}"#, "zooms: the map mini has zoom levels 0-20"),
        (#"{"map": "mini", "zooms": "11", "bbox": [106.6, 20.8, 106.7]}"#, "bbox: expected [west, south, east, north]"),
        (#"{"map": "mini", "zooms": "11", "bbox": [106.7, 20.8, 106.6, 20.9]}"#, "bbox: expected"),
        (#"{"map": "mini", "zooms": "11", "bbox": [106.6, 95, 106.7, 96]}"#, "bbox: expected"),
        (#"{"map": "mini", "zooms": "11", "bbox": "106.6,20.8,106.7,20.9"}"#, "bbox: expected"),
        (#"{"map": "mini", "zooms": "11", "scale": "2"}"#, "scale: expected"),
        (#"{"map": "mini", "zooms": "11", "scale": 3}"#, "scale: the map mini offers 1, 2, not 3"),
        (#"{"map": "mini", "zooms": "11", "zoom": "12"}"#, "unknown field"),
    ])
    func badBodiesAreRefused(body: String, message: String) async throws {
        let engine = ServerFixtures.engine()
        let jobs = AdminFixtures.jobs(engine)
        try await AdminFixtures.application(engine, jobs).test(.router) { client in
            try await client.execute(uri: "/admin/seed", method: .post, headers: AdminFixtures.authorization, body: AdminFixtures.body(body)) { response in
                #expect(response.status == .badRequest, "\(body)")
                #expect(response.headers[.cacheControl] == "no-store")
                let error = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: String])["error"]
                #expect(error?.contains(message) == true, "\(body) gave \(error ?? "nothing")")
            }
        }
        #expect(await jobs.jobs().isEmpty)
        try await engine.shutdown()
    }

    @Test func unknownMapsAreNotFound() async throws {
        let engine = ServerFixtures.engine()
        try await AdminFixtures.application(engine, AdminFixtures.jobs(engine)).test(.router) { client in
            for name in ["nope", "../etc", "MINI"] {
                let body = AdminFixtures.body(#"{"map": "\#(name)", "zooms": "11"}"#)
                try await client.execute(uri: "/admin/seed", method: .post, headers: AdminFixtures.authorization, body: body) { response in
                    #expect(response.status == .notFound, "\(name)")
                }
            }
        }
        try await engine.shutdown()
    }

    @Test func oversizedBodiesAreRefused() async throws {
        let engine = ServerFixtures.engine()
        try await AdminFixtures.application(engine, AdminFixtures.jobs(engine)).test(.router) { client in
            let padding = String(repeating: " ", count: 70 * 1024)
            let body = AdminFixtures.body(#"{"map": "mini", "zooms": "11"\#(padding)}"#)
            try await client.execute(uri: "/admin/seed", method: .post, headers: AdminFixtures.authorization, body: body) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
        try await engine.shutdown()
    }
}
