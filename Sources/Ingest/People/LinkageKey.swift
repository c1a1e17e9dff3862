import Crypto
import Foundation

/// The partnership's secret for the keyed hash that pseudonymises people. It is read from the
/// environment or a key file, held only in memory, and never written or logged.
public struct LinkageKey: Sendable {
    public enum Origin: String, Sendable {
        case environment, file, demo
        /// A random key for files that name no person (published figures), which it never keys.
        case unlinked
    }

    public static let environmentVariable = "PROFILER_LINKAGE_KEY"
    /// Public, and so protects nothing: used only for the bundled synthetic drop.
    static let demoSecret = "partnership-profiles demo key - synthetic data only"

    let key: SymmetricKey
    public let origin: Origin

    init(secret: [UInt8], origin: Origin) {
        key = SymmetricKey(data: secret)
        self.origin = origin
    }

    /// The key for a run: `--key-file` first, then the environment variable; the demo key only for
    /// the bundled demo drop. Anything else refuses to start.
    public static func resolve(keyFile: String?, environment: [String: String], isDemoDrop: Bool) throws(LinkageKeyError) -> LinkageKey {
        if let keyFile {
            guard let data = FileManager.default.contents(atPath: keyFile) else { throw .unreadableFile(keyFile) }
            var bytes = [UInt8](data)
            while let last = bytes.last, last == 0x0A || last == 0x0D || last == 0x20 { bytes.removeLast() }
            guard bytes.count >= 32 else { throw .tooShort(source: keyFile) }
            return LinkageKey(secret: bytes, origin: .file)
        }
        if let value = environment[environmentVariable], !value.isEmpty {
            guard value.utf8.count >= 32 else { throw .tooShort(source: "$\(environmentVariable)") }
            return LinkageKey(secret: Array(value.utf8), origin: .environment)
        }
        guard isDemoDrop else { throw .missing }
        return LinkageKey(secret: Array(demoSecret.utf8), origin: .demo)
    }
}

public enum LinkageKeyError: Error, CustomStringConvertible, Equatable {
    case missing
    case unreadableFile(String)
    case tooShort(source: String)

    public var description: String {
        switch self {
        case .missing:
            return """
                no linkage key: people in a real drop are pseudonymised with the partnership's secret key. \
                Set \(LinkageKey.environmentVariable) or pass --key-file FILE (at least 32 characters, kept out of \
                the drop and the outputs). Only the bundled demo drop runs without one.
                """
        case .unreadableFile(let path): return "cannot read the linkage key file \(path)"
        case .tooShort(let source): return "the linkage key in \(source) is shorter than 32 characters"
        }
    }
}
