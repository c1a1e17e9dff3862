import ArgumentParser
import Benchmarking
import Definitions
import Foundation
import Profiles

/// `profiler profiles list|explain ID`.
struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "List the priority profiles, explain how one's tables are computed, or check the definitions against a drop.",
        subcommands: [List.self, Explain.self, ProfilesCheck.self], defaultSubcommand: List.self)

    static func load(_ profiles: String?) throws -> ProfileCatalogue {
        let dir = try profiles ?? locateProject().profilesDirectory
        do {
            let sources = try SourceCatalogue.load(profiles: dir)
            return try ProfileCatalogue.load(directory: dir + "/priorities", sources: sources, measures: MeasureLibrary.grammars)
        } catch {
            standardError(error.description)
            throw ExitStatus.configuration
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the profiles.")
        @Option(name: .long, help: "Folder of definitions (default: the project's profiles/).") var profiles: String?
        func run() throws {
            for p in try ProfilesCommand.load(profiles).profiles {
                print(
                    "\(p.id.padding(toLength: 28, withPad: " ", startingAt: 0)) \(p.tables.count) tables, \(p.success.count) success measures  \(p.title) (\(p.group))"
                )
            }
        }
    }

    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Explain one profile's tables and measures.")
        @Argument(help: "The profile id.") var id: String
        @Option(name: .long, help: "Folder of definitions (default: the project's profiles/).") var profiles: String?
        func run() throws {
            let catalogue = try ProfilesCommand.load(profiles)
            guard let p = catalogue.profile(id) else {
                throw ValidationError("no profile '\(id)'; known: \(catalogue.profiles.map(\.id).joined(separator: ", "))")
            }
            print("\(p.title) - \(p.group)\n\(p.description)\n")
            print("Events:")
            for e in p.events {
                print(
                    "  \(e.name): \(e.source)"
                        + (e.conditions.isEmpty ? "" : " where " + e.conditions.map { "\($0.field) \($0.test)" }.joined(separator: ", "))
                        + (e.person.map { " (people: \($0))" } ?? ""))
            }
            for t in p.tables {
                print("\n[\(t.section.rawValue)] \(t.id): \(t.title)")
                if !t.description.isEmpty { print("  \(t.description)") }
                if let method = MethodNotes.areaComparison(t) { print("  compared: \(method)") }
                if let method = MethodNotes.mean(t) { print("  averaged: \(method)") }
                print(
                    "  events: \(t.events.joined(separator: ", ")); by: \(t.by.map(\.description).joined(separator: ", ")); measures: \(t.measures.map(\.description).joined(separator: ", "))"
                )
            }
            print("\nMeasures of success:")
            for m in p.success {
                print("  \(m.id) (\(m.good.rawValue) is good): \(m.title)\n    change tested by: \(MethodNotes.successTest(m))")
            }
            let dir = try profiles ?? locateProject().profilesDirectory
            let benchmarks: BenchmarkCatalogue
            do { benchmarks = try BenchmarkCatalogue.load(directory: dir + "/benchmarks", profiles: catalogue) } catch {
                standardError(error.description)
                throw ExitStatus.configuration
            }
            guard let b = benchmarks.definition(for: p.id) else { return }
            print("\nHow we compare (with England, the region and \(benchmarks.groups.neighbours.last?.name ?? "no neighbours defined")):")
            for c in b.comparisons {
                let local = "\(c.count.rawValue) of \(c.events.joined(separator: ", ")) per \(Int(c.multiplier)) \(c.per.rawValue)"
                if let indicator = c.indicator {
                    print(
                        "  \(c.id): \(c.title)\n    \(local), against indicator \(indicator) (\(c.sex), \(c.age)); \(c.polarity.rawValue.replacingOccurrences(of: "_", with: " "))"
                    )
                } else {
                    print("  \(c.id): \(c.title)\n    \(local); no published counterpart: \(c.note)")
                }
            }
        }
    }
}
