import ArgumentParser
import Export
import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How `build` and `validate` write their log on standard error: lines for a person, or one JSON
/// object per line for a machine (`time`, `level`, `message`, `metadata`).
enum LogFormat: String, ExpressibleByArgument, CaseIterable, Sendable { case text, json }

/// The engine's log handler (swift-log). Messages carry counts, file names and phases, never an
/// identifier or the key. Lines from worker threads are written whole, one at a time.
struct ProfilerLogHandler: LogHandler {
    let format: LogFormat
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level

    init(format: LogFormat, level: Logger.Level) {
        self.format = format
        logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let more = event.metadata { all.merge(more) { $1 } }
        switch format {
        case .text:
            LogOutput.write(event.message.description)
        case .json:
            LogOutput.write(Self.jsonLine(time: Date(), level: event.level, message: event.message.description, metadata: all))
        }
    }

    /// One log event as a line of JSON (`JSONWriter`, compact), keys in a fixed order: time, level,
    /// message, then the metadata with its keys sorted.
    static func jsonLine(time: Date, level: Logger.Level, message: String, metadata: Logger.Metadata) -> String {
        let stamp = time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!))
        var members: [(key: String, value: JSONValue)] = [
            ("time", .string(stamp)), ("level", .string(level.rawValue)), ("message", .string(message)),
        ]
        if !metadata.isEmpty { members.append(("metadata", json(.dictionary(metadata)))) }
        return JSONWriter.text(.object(members), layout: .compact)
    }

    private static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let s): return .string(s)
        case .stringConvertible(let c):
            // Numbers stay numbers; anything else is its text.
            if let n = c as? any BinaryInteger { return Int(exactly: n).map(JSONValue.integer) ?? .number(Double(n)) }
            if let x = c as? Double { return .number(x) }
            return .string(c.description)
        case .array(let a): return .array(a.map(json))
        case .dictionary(let d):
            return .object(d.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { (key: $0, value: json(d[$0]!)) })
        }
    }
}

/// Standard error, one whole line per write.
enum LogOutput {
    private static let lock = NSLock()

    static func write(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        lock.lock()
        defer { lock.unlock() }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { systemWrite(2, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            offset += n
        }
    }
}

extension Logger {
    /// The logger of a verb that reads a drop. Text: progress (info) only on a terminal, notices,
    /// warnings and errors always. JSON: everything from info up.
    static func profiler(format: LogFormat) -> Logger {
        let level: Logger.Level = format == .json || isatty(2) != 0 ? .info : .notice
        return Logger(label: "profiler") { _ in ProfilerLogHandler(format: format, level: level) }
    }
}

#if canImport(Glibc)
    private let systemWrite = Glibc.write
#else
    private let systemWrite = Darwin.write
#endif
