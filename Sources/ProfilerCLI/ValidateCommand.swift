import ArgumentParser
import Definitions
import Foundation
import Ingest
import Pipeline
import Profiles

/// `profiler validate`: checks the definitions, reads a drop, and reports its data quality.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the definitions, ingest a drop and report its data quality file by file.",
        discussion: """
            Checks every definition first (sources, profiles, benchmarks, groups). With no --data, checks \
            the bundled sample drop. Exit code 0: clean; 1: rejects within tolerance, \
            unmatched geography or invalid NHS numbers; 2: a file over its reject tolerance, unreadable, or missing; \
            3: a bad definition or no linkage key.
            """)

    @OptionGroup var drop: DropOptions

    @Flag(name: .long, help: "Write the report as JSON on standard output.")
    var json = false

    func run() throws {
        let layout = try locateProject()
        let log = drop.logger
        let settings = drop.settings
        let prepared = try exitingOnFailure { () throws(PipelineFailure) in try settings.prepare(layout: layout, log: log) }
        let (catalogue, drops, key) = (prepared.catalogue, prepared.drops, prepared.key)
        if drop.sources == "sources" {
            // The profiles, benchmarks and groups built on the sources: every mistake before any data is read.
            let root = drop.profiles ?? layout.profilesDirectory
            var errors: [DefinitionError] = []
            do {
                let profiles = try ProfileCatalogue.load(
                    directory: root + "/priorities", sources: catalogue, measures: MeasureLibrary.grammars)
                do { _ = try BenchmarkCatalogue.load(directory: root + "/benchmarks", profiles: profiles) } catch { errors += error.errors }
                do {
                    _ = try GroupDefinition.loadAll(
                        directory: root + "/groups", profiles: profiles, audiences: AudiencePolicy.load(profiles: root))
                } catch { errors += error.errors }
            } catch {
                errors += error.errors
            }
            if !errors.isEmpty {
                log.error("\(DefinitionErrors(errors).description)", metadata: ["phase": "definitions"])
                log.error("profiler: \(errors.count) problem(s) in the definitions under \(root)", metadata: ["phase": "definitions"])
                throw ExitStatus.configuration
            }
        }
        let clock = ContinuousClock()
        let started = clock.now
        let ingested = try exitingOnFailure { () throws(PipelineFailure) in try settings.ingest(prepared, log: log) }
        let elapsed = clock.now - started
        let keyShown = catalogue.sources.contains { !$0.people.isEmpty } ? key.origin.rawValue : "not needed"
        let report = QualityReport(
            drops: drops, keyOrigin: keyShown, ingested: ingested,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        if json {
            print(try report.json())
        } else {
            print("definitions: \(catalogue.sources.count) sources are valid")
            print(report.text())
        }
        switch ingested.status {
        case .clean: return
        case .warnings: throw ExitStatus.warnings
        case .failed: throw ExitStatus.badInput
        }
    }
}
