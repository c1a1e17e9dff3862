import Foundation
import TestSupport
import Testing

/// `scripts/check-sizes` (run by CI) passes on the project, and fails on a function over 80 lines
/// or a file over 400, naming each.
@Suite("Sizes a newcomer can read")
struct SizeLimitTests {
    /// Runs the script on a copy of the project's Sources with `extra` added.
    private func check(adding extra: (file: String, text: String)?) throws -> ProcessRun {
        let dir = try TemporaryDirectory("sizes")
        defer { dir.remove() }
        try FileManager.default.copyItem(atPath: TestPaths.root + "/Sources", toPath: dir.file("Sources"))
        if let extra { try dir.write("Sources/" + extra.file, extra.text) }
        return try ProcessRun.tool("/usr/bin/env", ["python3", TestPaths.root + "/scripts/check-sizes", "--root", dir.path])
    }

    @Test func theProjectKeepsToTheLimits() throws {
        let run = try check(adding: nil)
        #expect(run.status == 0, "\(run.stdout)")
        #expect(run.stdout.contains("every file at most 400 lines and every function at most 80"))
    }

    @Test func aLongFunctionOrFileFails() throws {
        // 79 lines of body: the function is 81 lines with its declaration and closing brace. Braces
        // in a string and a comment do not end it early.
        let body = (1...79).map { "    _ = \"}\" + \"\\(\($0))\" // }" }.joined(separator: "\n")
        let long = try check(adding: ("Columnar/Long.swift", "func long() {\n\(body)\n}\n"))
        #expect(long.status == 1 && long.stdout.contains("Sources/Columnar/Long.swift:1: function of 81 lines"), "\(long.stdout)")
        let fine = try check(
            adding: ("Columnar/Long.swift", "func long() {\n\(body.split(separator: "\n").dropFirst().joined(separator: "\n"))\n}\n"))
        #expect(fine.status == 0, "\(fine.stdout)")
        let file = try check(adding: ("Columnar/Big.swift", (1...401).map { "let v\($0) = \($0)" }.joined(separator: "\n") + "\n"))
        #expect(file.status == 1 && file.stdout.contains("Sources/Columnar/Big.swift: 401 lines (at most 400)"), "\(file.stdout)")
    }
}
