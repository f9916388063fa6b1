import CairnPNG
import CairnTestSupport
import Foundation
import Testing

/// Remote data is read only when the style says `"remote": true` and the configuration's
/// `remote_hosts:` names the host; a local file cannot make GDAL fetch anything. Real servers on
/// 127.0.0.1: Python's http.server holding a FlatGeobuf, and `cairn serve`.
@Suite(.interop, .serialized)
struct RemoteSourceTests {
    /// A z12 tile in the middle of Hải Phòng, inside the districts.
    static let centralTile = "12/3261/1805"

    /// A folder holding districts.fgb and districts.geojson, served by Python.
    static func servedDistricts() async throws -> StaticFileServer {
        let folder = CommandLineTests.temporary("served")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try OGRTestData.ogr2ogr(["-f", "FlatGeobuf", folder + "/districts.fgb", OGRTestData.districts, "-nln", "districts"])
        try FileManager.default.copyItem(atPath: OGRTestData.districts, toPath: folder + "/districts.geojson")
        return try await StaticFileServer.start(serving: folder)
    }

    /// `cairn.yaml` in `folder` with one map `remote` drawing `style.json`.
    static func writeConfiguration(in folder: String, remoteHosts: String?) throws -> String {
        let hosts = remoteHosts.map { "remote_hosts: \($0)\n" } ?? ""
        let path = folder + "/cairn.yaml"
        try (hosts + "cache: {directory: cache}\nmaps:\n  - name: remote\n    style: style.json\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aRemoteURLWithoutRemoteTrueIsAStyleError() throws {
        let folder = try CairnProcess.temporaryFolder()
        try OGRTestData.fillStyle(in: folder, source: OGRTestData.fileSource("/vsicurl/http://127.0.0.1:9/districts.fgb"))
        let run = try CairnProcess.cairn(["validate", "--style", "style.json"], in: folder)
        #expect(run.status == 1)
        #expect(run.output.contains("error: style.json: sources.d.url: \"/vsicurl/http://127.0.0.1:9/districts.fgb\" is a remote dataset; Cairn reads remote data only when the source sets \"remote\": true"), "\(run.output)")
    }

    @Test func aHostMissingFromRemoteHostsIsRefusedWithoutARequest() async throws {
        let server = try await Self.servedDistricts()
        defer { server.stop() }
        let folder = try CairnProcess.temporaryFolder()
        try OGRTestData.fillStyle(in: folder, source: OGRTestData.fileSource("\(server.base)/districts.fgb", extra: #", "remote": true"#))
        for hosts in [nil, "[data.haiphong.gov.vn]"] {
            _ = try Self.writeConfiguration(in: folder, remoteHosts: hosts)
            let run = try CairnProcess.cairn(["validate", "--config", "cairn.yaml"], in: folder)
            #expect(run.status == 1)
            let allowed = hosts == nil ? "it names none" : "it names data.haiphong.gov.vn"
            #expect(run.output.contains("\(server.base)/districts.fgb: source \"d\": remote host 127.0.0.1 is not in the configuration's remote_hosts: (\(allowed)); add it there"), "\(run.output)")
        }
        #expect(server.requestedPaths.isEmpty, "\(server.requestedPaths)")
    }

    @Test func anAllowedHostIsReadAndItsTilesRender() async throws {
        let server = try await Self.servedDistricts()
        defer { server.stop() }
        let folder = try CairnProcess.temporaryFolder()
        try OGRTestData.fillStyle(in: folder, source: OGRTestData.fileSource("\(server.base)/districts.fgb", extra: #", "remote": true"#))
        let port = try InteropServer.freePort()
        let cairn = try await startServer(folder: folder, port: port, mapLines: "  - name: remote\n    style: style.json\n",
                                          preamble: "remote_hosts: [127.0.0.1]\n")
        defer { cairn.terminate(); cairn.waitUntilExit() }
        let png = folder + "/tile.png"
        #expect(curlStatus("http://127.0.0.1:\(port)/maps/remote/\(Self.centralTile).png", output: png) == 200)
        let image = try PNGDecoder.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: png))))
        let red = stride(from: 0, to: image.rgba.count, by: 4).filter { image.rgba[$0] > 200 && image.rgba[$0 + 1] < 60 }.count
        #expect(red > image.width * image.height / 2, "the districts' red fill covers the central tile (\(red) red pixels)")
        #expect(server.requestedPaths.contains("/districts.fgb"), "\(server.requestedPaths)")
    }

    /// A local .vrt naming remote data: GDAL must not fetch it, even from an allowed host.
    @Test(arguments: ["http://127.0.0.1:PORT/districts.geojson", "/vsicurl/http://127.0.0.1:PORT/districts.fgb"])
    func aLocalFileCannotMakeGDALFetchAnything(_ sourceTemplate: String) async throws {
        let server = try await Self.servedDistricts()
        defer { server.stop() }
        let folder = try CairnProcess.temporaryFolder()
        let remote = sourceTemplate.replacingOccurrences(of: "PORT", with: String(server.port))
        let layerName = remote.hasSuffix(".fgb") ? "districts" : "hp_districts"
        let vrt = """
            <OGRVRTDataSource><OGRVRTLayer name="districts"><SrcDataSource>\(remote)</SrcDataSource><SrcLayer>\(layerName)</SrcLayer></OGRVRTLayer></OGRVRTDataSource>
            """
        try vrt.write(toFile: folder + "/districts.vrt", atomically: true, encoding: .utf8)
        try OGRTestData.fillStyle(in: folder, source: OGRTestData.fileSource("districts.vrt"))
        _ = try Self.writeConfiguration(in: folder, remoteHosts: "[127.0.0.1]")
        let run = try CairnProcess.cairn(["validate", "--config", "cairn.yaml"], in: folder)
        #expect(run.status == 1, "\(run.output)")
        #expect(run.output.contains("districts.vrt"), "\(run.output)")
        #expect(run.output.contains("layer districts"), "\(run.output)")
        #expect(server.requestedPaths.isEmpty, "GDAL fetched \(server.requestedPaths)")
    }
}
