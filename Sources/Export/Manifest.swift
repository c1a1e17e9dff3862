import Crypto
import Foundation

/// `manifest.json` of a build: what went in (each file's name, size, SHA-256 and rows accepted and
/// rejected), what came out (each file's SHA-256), the period, the disclosure rules, the engine's
/// version. The build time is the only thing in the output that changes between two builds of the
/// same inputs.
public enum Manifest {
    public struct Input: Sendable {
        public let file: String
        public let source: String
        public let path: String
        public let rowsRead: Int
        public let accepted: Int
        public let rejected: Int
        /// Accepted rows a later drop replaced (a build over several drops).
        public let replaced: Int?
        public init(file: String, source: String, path: String, rowsRead: Int, accepted: Int, rejected: Int, replaced: Int? = nil) {
            self.file = file; self.source = source; self.path = path; self.rowsRead = rowsRead; self.accepted = accepted; self.rejected = rejected
            self.replaced = replaced
        }
    }

    /// SHA-256 of a file, read in blocks.
    public static func sha256(ofFile path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hash = SHA256()
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty { hash.update(data: chunk) }
        return hash.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Writes the manifest into the publication, hashing every file already in it.
    public static func write(into publication: Publication, engineVersion: String, builtAt: Date, drop: String, period: String,
                             previousPeriod: String, inputs: [Input], comparators: [String], disclosure: [(group: String, audience: String, rule: String)],
                             drops: [String] = [], replaced: [(source: String, accepted: Int, replaced: Int)] = []) throws {
        let fm = FileManager.default
        let outputs = (fm.subpaths(atPath: publication.staging) ?? []).sorted().filter { p in
            var isDirectory: ObjCBool = false
            return fm.fileExists(atPath: publication.staging + "/" + p, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withInternetDateTime]
        format.timeZone = TimeZone(identifier: "UTC")
        var json = "{\n  \"engine\": \(JSONExport.string("partnership profiles engine " + engineVersion)),\n"
        json += "  \"built_at\": \(JSONExport.string(format.string(from: builtAt))),\n"
        json += "  \"drop\": \(JSONExport.string(drop)),\n"
        if drops.count > 1 {
            json += "  \"drops\": [" + drops.map(JSONExport.string).joined(separator: ", ") + "],\n"
            json += "  \"replaced\": [\n" + replaced.map { r in
                "    {\"source\": \(JSONExport.string(r.source)), \"accepted\": \(r.accepted), \"replaced\": \(r.replaced), \"kept\": \(r.accepted - r.replaced)}"
            }.joined(separator: ",\n") + "\n  ],\n"
        }
        json += "  \"period\": \(JSONExport.string(period)),\n  \"previous_period\": \(JSONExport.string(previousPeriod)),\n"
        json += "  \"inputs\": [\n" + inputs.map { i in
            let size = (try? fm.attributesOfItem(atPath: i.path)[.size] as? Int) ?? 0
            return "    {\"file\": \(JSONExport.string(i.file)), \"source\": \(JSONExport.string(i.source)), \"bytes\": \(size), "
                + "\"sha256\": \(JSONExport.string(sha256(ofFile: i.path) ?? "")), \"rows_read\": \(i.rowsRead), \"accepted\": \(i.accepted), \"rejected\": \(i.rejected)"
                + (i.replaced.map { ", \"replaced\": \($0)" } ?? "") + "}"
        }.joined(separator: ",\n") + "\n  ],\n"
        json += "  \"comparators\": [\n" + comparators.map { p in
            "    {\"file\": \(JSONExport.string((p as NSString).lastPathComponent)), \"sha256\": \(JSONExport.string(sha256(ofFile: p) ?? ""))}"
        }.joined(separator: ",\n") + "\n  ],\n"
        json += "  \"disclosure\": [\n" + disclosure.map { d in
            "    {\"group\": \(JSONExport.string(d.group)), \"audience\": \(JSONExport.string(d.audience)), \"rule\": \(JSONExport.string(d.rule))}"
        }.joined(separator: ",\n") + "\n  ],\n"
        json += "  \"outputs\": [\n" + outputs.map { o in
            let path = publication.staging + "/" + o
            let size = (try? fm.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            return "    {\"file\": \(JSONExport.string(o)), \"bytes\": \(size), \"sha256\": \(JSONExport.string(sha256(ofFile: path) ?? ""))}"
        }.joined(separator: ",\n") + "\n  ]\n}\n"
        try publication.write("manifest.json", Data(json.utf8))
    }
}
