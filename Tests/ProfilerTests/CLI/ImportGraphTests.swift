import Foundation
import TestSupport
import Testing

/// `scripts/check-imports` (run by CI) passes on the project, and fails when a module imports one
/// of a later stage, when a stage after ingest reads the drop through `Ingest`, or when the
/// generator imports more than the model.
@Suite("The module graph")
struct ImportGraphTests {
    /// Runs the script on a copy of the project's Package.swift and Sources with `extra` added.
    private func check(adding extra: (file: String, text: String)?) throws -> (status: Int32, errors: String) {
        let dir = try TemporaryDirectory("imports")
        defer { dir.remove() }
        try FileManager.default.copyItem(atPath: TestPaths.root + "/Package.swift", toPath: dir.file("Package.swift"))
        try FileManager.default.copyItem(atPath: TestPaths.root + "/Sources", toPath: dir.file("Sources"))
        if let extra { try dir.write("Sources/" + extra.file, extra.text) }
        let run = try ProcessRun.tool("/usr/bin/env", ["python3", TestPaths.root + "/scripts/check-imports", "--root", dir.path])
        return (run.status, run.stderr)
    }

    @Test func theProjectFollowsTheFlow() throws {
        #expect(try check(adding: nil).status == 0)
    }

    @Test func anImportAgainstTheFlowFails() throws {
        // The core importing a later stage.
        let core = try check(adding: ("Columnar/Backwards.swift", "import Profiles\n"))
        #expect(core.status == 1 && core.errors.contains("Columnar imports Profiles, against the flow"), "\(core.errors)")
        // Disclosure reading the drop through Ingest (and not declaring it).
        let ingest = try check(adding: ("Disclosure/Backwards.swift", "@testable import Ingest\n"))
        #expect(ingest.status == 1 && ingest.errors.contains("Disclosure imports Ingest, against the flow"), "\(ingest.errors)")
        #expect(ingest.errors.contains("which Package.swift does not declare"))
        // The generator reaching for benchmarking's types instead of the model's.
        let generator = try check(adding: ("SyntheticDrop/Backwards.swift", "import Benchmarking\n"))
        #expect(generator.status == 1 && generator.errors.contains("the generator depends on the model alone"), "\(generator.errors)")
    }
}
