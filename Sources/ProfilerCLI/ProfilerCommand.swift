import ArgumentParser

/// `profiler`: the partnership profiles engine's command line.
public struct ProfilerCommand: ParsableCommand {
    /// The engine's version, written into every build's manifest.
    public static let engineVersion = "0.5.0"

    public static let configuration = CommandConfiguration(
        commandName: "profiler",
        abstract: "Builds the safeguarding partnership's priority profiles from agency extracts.",
        discussion: """
        Exit codes: 0 ok, 1 finished with warnings, 2 bad input (a drop that does not match its \
        definitions), 3 configuration error (a bad definition or option), 4 internal error.
        """,
        version: engineVersion,
        subcommands: [ValidateCommand.self, BuildCommand.self, SampleCommand.self, SourcesCommand.self, ProfilesCommand.self, ComparatorsCommand.self, DiffCommand.self],
        defaultSubcommand: BuildCommand.self
    )

    public init() {}
}

/// The exit codes documented in the README, for schedulers.
enum ExitStatus {
    static let ok = ExitCode(0)
    static let warnings = ExitCode(1)
    static let badInput = ExitCode(2)
    static let configuration = ExitCode(3)
    static let internalError = ExitCode(4)
}

func locateProject() throws -> ProjectLayout {
    guard let layout = ProjectLayout.locate() else {
        throw ValidationError("cannot find the engine's profiles/ and Fixtures/ folders: run from the project folder or set PROFILER_HOME")
    }
    return layout
}
