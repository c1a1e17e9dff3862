import Foundation

/// Where the engine's own files are: the definitions under `profiles/`, the bundled sample drop and
/// the area geography under `Fixtures/`. Found from `PROFILER_HOME`, else by walking up from the
/// working directory, else from the executable's location (`.build/<config>/profiler`).
public struct ProjectLayout: Sendable {
    public let root: String

    public var profilesDirectory: String { root + "/profiles" }
    public var sampleDrop: String { root + "/Fixtures/sample-drop" }
    public var geography: String { root + "/Fixtures/geography/shropshire_lsoa.csv" }
    /// 2021 LSOA codes to their 2011 best fit, so police.uk files from 2021 on resolve.
    public var lsoaAliases: String { root + "/Fixtures/geography/shropshire_lsoa21_best_fit.csv" }

    /// The area's ward boundaries, for the report's map.
    public var wardBoundaries: String { root + "/Fixtures/geography/shropshire_wards.geojson" }
    /// Published comparator files, their area lookup and population denominators.
    public var comparators: String { root + "/Fixtures/comparators" }

    public init(root: String) { self.root = root }

    public static func locate() -> ProjectLayout? {
        let env = ProcessInfo.processInfo.environment
        if let home = env["PROFILER_HOME"], isRoot(home) { return ProjectLayout(root: home) }
        var candidates = [FileManager.default.currentDirectoryPath]
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
        candidates.append(exe)
        for start in candidates {
            var dir = URL(fileURLWithPath: start).standardizedFileURL
            for _ in 0..<8 {
                if isRoot(dir.path) { return ProjectLayout(root: dir.path) }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        return nil
    }

    private static func isRoot(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path + "/profiles/sources")
            && FileManager.default.fileExists(atPath: path + "/Fixtures/geography")
    }
}
