import Foundation
import Testing

/// The two test tiers and the third-party conformance suites, decided in one place.
///
/// * Fast tier: plain `swift test` — no network, no installs, no external programs; runs in parallel.
/// * Interop tier: tests that drive external programs (GDAL, PROJ's cs2cs, sqlite3, curl, Python/OWSLib,
///   Chromium, nginx). They run only when `CAIRN_INTEROP=1` is set (`scripts/test` sets it) and are
///   skipped with a message otherwise.
/// * Conformance suites (mvt-fixtures, MapLibre's style-spec tests) are read from
///   `../shared/conformance` beside the repository; a clone without it skips them with a message.
public enum TestTier {
    /// The environment variable that enables the interop tier.
    public static let interopVariable = "CAIRN_INTEROP"

    /// True when the interop tier runs (`CAIRN_INTEROP` set to anything but empty or `0`).
    public static var interop: Bool {
        guard let value = ProcessInfo.processInfo.environment[interopVariable] else { return false }
        return !value.isEmpty && value != "0"
    }

    /// The repository root: this file → Tests/CairnTestSupport → Tests → root.
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/conformance` beside the repository (CI has it; see its README for versions and licences).
    public static let conformanceFolder = repositoryRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/conformance").standardizedFileURL

    /// `../shared/conformance/<relative>` when it exists, else nil.
    public static func conformanceSuite(_ relative: String) -> URL? {
        let url = conformanceFolder.appendingPathComponent(relative)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test or suite only in the interop tier (`CAIRN_INTEROP=1`, as `scripts/test` sets it).
    public static var interop: Self {
        .enabled(if: TestTier.interop,
                 "interop tier (drives external programs): skipped unless CAIRN_INTEROP=1; scripts/test runs it")
    }

    /// Runs the test only when the third-party suite `../shared/conformance/<relative>` is beside the
    /// repository; skipped otherwise with a message naming that folder.
    public static func conformance(_ relative: String) -> Self {
        .enabled(if: TestTier.conformanceSuite(relative) != nil,
                 Comment(rawValue: "conformance suite ../shared/conformance/\(relative) not found beside the repository "
                     + "(\(TestTier.conformanceFolder.path)); skipped"))
    }
}
