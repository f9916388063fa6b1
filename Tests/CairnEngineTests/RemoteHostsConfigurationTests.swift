@testable import CairnConfiguration
import Testing

/// `remote_hosts:`: the hosts `"remote": true` sources may read from, bare names only.
struct RemoteHostsConfigurationTests {
    func parse(_ hosts: String) throws -> CairnConfiguration {
        try CairnConfiguration.parse(yaml: "remote_hosts: \(hosts)\nmaps:\n  - name: mini\n    style: \(TestPaths.miniStyle)\n", path: "cairn.yaml")
    }

    @Test func readsHostNamesAndAddresses() throws {
        let configuration = try parse("[Data.HaiPhong.gov.vn, 127.0.0.1, \"::1\", gis-server]")
        #expect(configuration.remoteHosts == ["data.haiphong.gov.vn", "127.0.0.1", "::1", "gis-server"])
    }

    @Test func noRemoteHostsByDefault() throws {
        let configuration = try CairnConfiguration.parse(yaml: "maps:\n  - name: mini\n    style: \(TestPaths.miniStyle)\n", path: "cairn.yaml")
        #expect(configuration.remoteHosts.isEmpty)
    }

    @Test(arguments: ["https://data.haiphong.gov.vn", "data.haiphong.gov.vn:8080", "data.haiphong.gov.vn/wfs", "-bad.example", "a..b", "*.gov.vn"])
    func refusesAnythingButABareHost(_ host: String) throws {
        let error = try #require(throws: ConfigurationErrors.self) { try parse("[\"\(host)\"]") }
        #expect(error.description.hasPrefix("cairn.yaml:1: remote_hosts[0]: expected a bare host name or IP address (no scheme, port or path)"), "\(error)")
    }

    @Test func refusesAMappingOrAWord() throws {
        let error = try #require(throws: ConfigurationErrors.self) { try parse("data.haiphong.gov.vn") }
        #expect(error.description == "cairn.yaml:1: remote_hosts: expected a list of host names, e.g. [data.haiphong.gov.vn], got \"data.haiphong.gov.vn\"")
    }
}
