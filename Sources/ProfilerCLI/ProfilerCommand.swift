import ArgumentParser
import Export
import Foundation
import Pipeline

/// `profiler`: the partnership profiles engine's command line.
public struct ProfilerCommand: ParsableCommand {
    /// The engine's version, written into every build's manifest.
    public static let engineVersion = BuildPipeline.engineVersion

    public static let configuration = CommandConfiguration(
        commandName: "profiler",
        abstract: "Builds the safeguarding partnership's priority profiles from agency extracts.",
        discussion: """
            Exit codes: 0 ok, 1 finished with warnings, 2 bad input (a drop that does not match its \
            definitions), 3 configuration error (a bad definition or option), 4 internal error (a file \
            that could not be written, memory exhausted, a fault of the engine), 5 another build holds \
            the output's lock.
            """,
        version: engineVersion,
        subcommands: [
            ValidateCommand.self, BuildCommand.self, SampleCommand.self, SourcesCommand.self, ProfilesCommand.self, ComparatorsCommand.self,
            DiffCommand.self, LinkageCommand.self,
        ],
        defaultSubcommand: BuildCommand.self
    )

    public init() {}

    /// Runs the command line and ends the process with one of the documented exit codes: a
    /// mistyped option or a refused value is a configuration error (3, not the parser's 64), and
    /// any failure the engine did not name is an internal error (4), said on standard error.
    /// - Parameter whenStaging: told the staging folder a build writes into when it makes one, and
    ///   nil once it is committed or discarded (the executable's allocation guard removes it if
    ///   memory runs out).
    public static func runAsProcess(_ arguments: [String]? = nil, whenStaging: (@Sendable (String?) -> Void)? = nil) -> Never {
        Publication.stagingObserver = whenStaging
        let code = exitCode(of: arguments)
        Foundation.exit(code)
    }

    /// The exit code of one run, with its messages written as the process would write them.
    static func exitCode(of arguments: [String]?) -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            return ExitStatus.ok.rawValue
        } catch let code as ExitCode {
            return code.rawValue
        } catch {
            let code = Self.exitCode(for: error)
            if code == .success {
                // --help, --version.
                print(fullMessage(for: error))
                return ExitStatus.ok.rawValue
            }
            if code == .validationFailure {
                standardError(fullMessage(for: error))
                return ExitStatus.configuration.rawValue
            }
            standardError("profiler: internal error: \(error)")
            return ExitStatus.internalError.rawValue
        }
    }
}

/// The exit codes documented in the README, for schedulers.
enum ExitStatus {
    static let ok = ExitCode(0)
    static let warnings = ExitCode(1)
    static let badInput = ExitCode(2)
    static let configuration = ExitCode(3)
    static let internalError = ExitCode(4)
    /// Another build holds the output's lock.
    static let locked = ExitCode(5)
}

/// The project's layout, for a pipeline that throws only its own failures.
func locatedProject() throws(PipelineFailure) -> ProjectLayout {
    guard let layout = ProjectLayout.locate() else {
        throw .refused("cannot find the engine's profiles/ and Fixtures/ folders: run from the project folder or set PROFILER_HOME")
    }
    return layout
}

func locateProject() throws -> ProjectLayout {
    guard let layout = ProjectLayout.locate() else {
        throw ValidationError("cannot find the engine's profiles/ and Fixtures/ folders: run from the project folder or set PROFILER_HOME")
    }
    return layout
}
