import ArgumentParser
import ProfilerCLI

/// Runs the command line as a user would (through the argument parser), giving its exit code.
public func runProfiler(_ arguments: [String]) throws -> Int32 {
    var command = try ProfilerCommand.parseAsRoot(arguments)
    do {
        try command.run()
        return 0
    } catch let code as ExitCode {
        return code.rawValue
    }
}
