import Foundation

/// Paths the tests read, all inside the project, so that a clone alone runs the suite.
public enum TestPaths {
    /// The project root (this file is Tests/TestSupport/Fixtures.swift).
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    public static var profiles: String { root + "/profiles" }
    public static var geography: String { root + "/Fixtures/geography/shropshire_lsoa.csv" }
    public static var lsoaAliases: String { root + "/Fixtures/geography/shropshire_lsoa21_best_fit.csv" }
    public static var sampleDrop: String { root + "/Fixtures/sample-drop" }
    /// `Fixtures/ssda903`: the fake SSDA903 header and episodes files (see `Fixtures/README.md`).
    public static var ssda903: String { root + "/Fixtures/ssda903" }
    public static var comparators: String { root + "/Fixtures/comparators" }
    /// The `profiler` executable of the debug build (`swift build`, which `swift test` runs first).
    public static var profilerBinary: String { root + "/.build/debug/profiler" }
    /// `Fixtures/public`, the real public files (police.uk, ONS, Fingertips, DfE); see its README.
    public static var publicData: String { root + "/Fixtures/public" }
}

/// A fresh folder under the system temporary directory, removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    public let path: String

    public init(_ label: String = "profiler-test") throws {
        path = NSTemporaryDirectory() + "\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `text` to `name` in the folder and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        try Data(text.utf8).write(to: URL(fileURLWithPath: file(name)))
        return file(name)
    }

    @discardableResult
    public func write(_ name: String, bytes: [UInt8]) throws -> String {
        try Data(bytes).write(to: URL(fileURLWithPath: file(name)))
        return file(name)
    }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Compares every file of two folders byte for byte; returns the names that differ or are missing.
public func differingFiles(_ a: String, _ b: String) throws -> [String] {
    let fm = FileManager.default
    let left = Set(fm.subpaths(atPath: a) ?? []), right = Set(fm.subpaths(atPath: b) ?? [])
    var differ = Array(left.symmetricDifference(right))
    for name in left.intersection(right) {
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: a + "/" + name, isDirectory: &isDir), isDir.boolValue { continue }
        if fm.contents(atPath: a + "/" + name) != fm.contents(atPath: b + "/" + name) { differ.append(name) }
    }
    return differ.sorted()
}

/// Every file of an output folder but the manifest (whose build time differs), by path.
public func outputSnapshot(_ out: String) -> [String: Data] {
    var files: [String: Data] = [:]
    for p in FileManager.default.subpaths(atPath: out) ?? [] where p != "manifest.json" {
        var d: ObjCBool = false
        if FileManager.default.fileExists(atPath: out + "/" + p, isDirectory: &d), !d.boolValue {
            files[p] = FileManager.default.contents(atPath: out + "/" + p)
        }
    }
    return files
}

/// What builds left beside an output: staging folders and outputs moved aside.
public func leftovers(beside out: String) -> [String] {
    let parent = (out as NSString).deletingLastPathComponent
    return ((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []).filter {
        $0.contains(".staging-") || $0.contains(".previous-")
    }
}

/// A copy of the project's definitions at `dir`/profiles with `old` replaced by `new` in one file
/// under it (`priorities/neglect.yaml`); throws when the file does not hold `old`. Returns the
/// copy's folder and the file's new text.
public func editedDefinitions(in dir: TemporaryDirectory, file: String, replacing old: String, with new: String) throws
    -> (folder: String, text: String)
{
    let folder = dir.file("profiles")
    try FileManager.default.copyItem(atPath: TestPaths.profiles, toPath: folder)
    let path = folder + "/" + file
    let text = try String(contentsOfFile: path, encoding: .utf8)
    guard text.contains(old) else { throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: path]) }
    let changed = text.replacingOccurrences(of: old, with: new)
    try changed.write(toFile: path, atomically: true, encoding: .utf8)
    return (folder, changed)
}
