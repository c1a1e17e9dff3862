import Foundation
import TestSupport
import Testing

@testable import CSVText

/// A small gzip file inflated whole by libdeflate (`GzipWhole`), and the files it leaves to zlib's
/// stream: each reads as the same records either way.
@Suite("CSV reader: gzip inflated whole")
struct GzipWholeTests {
    /// `text` gzipped by the gzip tool into `name` (members joined when several are given).
    private func gzip(_ dir: TemporaryDirectory, _ name: String, members: [String]) throws -> String {
        var joined = Data()
        for (i, m) in members.enumerated() {
            let plain = try dir.write("\(name).\(i)", m)
            try run("/usr/bin/env", ["gzip", "-n", "-9", plain])
            joined += FileManager.default.contents(atPath: plain + ".gz") ?? Data()
        }
        return try dir.write(name, bytes: Array(joined))
    }

    private func inflated(_ path: String) -> [UInt8]? {
        guard let b = GzipWhole.inflate(path: path) else { return nil }
        defer { b.deallocate() }
        return Array(b)
    }

    private func records(_ path: String) throws -> [[String]] {
        var rows: [[String]] = []
        try CSVReader(path: path).forEachRecord {
            rows.append($0.strings()); return true
        }
        return rows
    }

    @Test func membersAreInflatedIntoOneBufferGrowingAsNeeded() throws {
        let dir = try TemporaryDirectory("gzip-whole")
        defer { dir.remove() }
        // The first member inflates to far more than its trailer-free guess (the last member's
        // size, or four times the file): the buffer must grow and the member be inflated again.
        let first = "id,value\n" + (0..<40_000).map { "\($0 % 977),a value much like the last one\n" }.joined()
        let second = "2,last\n"
        let path = try gzip(dir, "t.csv.gz", members: [first, second])
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let ratio = Double(first.utf8.count) / Double(size)
        #expect(ratio > 4 && ratio < Double(GzipWhole.maxRatio), "ratio \(ratio)")
        let same = inflated(path) == Array((first + second).utf8)
        #expect(same)
        let rows = try records(path)
        #expect(rows.count == 40_002 && rows.last == ["2", "last"])
    }

    @Test func anythingButCleanMembersIsLeftToTheStream() throws {
        let dir = try TemporaryDirectory("gzip-whole")
        defer { dir.remove() }
        let text = "id,value\n" + (0..<3000).map { "\($0),\($0 * 7919 % 104729)\n" }.joined()
        let clean = try gzip(dir, "clean.csv.gz", members: [text])
        let bytes = Array(FileManager.default.contents(atPath: clean)!)
        // Bytes after the last member: zlib's stream reads the member and stops there.
        let trailing = try dir.write("trailing.csv.gz", bytes: bytes + Array("not gzip".utf8))
        #expect(inflated(trailing) == nil)
        let streamed = try records(trailing) == (try records(clean))
        #expect(streamed)
        // A truncated stream: the stream's error.
        let cut = try dir.write("cut.csv.gz", bytes: Array(bytes.dropLast(12)))
        #expect(inflated(cut) == nil)
        #expect {
            try CSVReader(path: cut).forEachRecord { _ in true }
        } throws: { ($0 as? CSVReadError)?.kind == .corruptCompression }
        // A plain file is not gzip.
        let plain = try dir.write("plain.csv", text)
        #expect(inflated(plain) == nil)
    }

    @Test func aFileThatInflatesFarPastItsSizeIsStreamed() throws {
        let dir = try TemporaryDirectory("gzip-whole")
        defer { dir.remove() }
        // More than `maxRatio` times its compressed size: left to the stream, which reads it the same.
        let text = "a,b\n" + String(repeating: "0,0\n", count: 2_000_000)
        let path = try gzip(dir, "bomb.csv.gz", members: [text])
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(text.utf8.count > size * GzipWhole.maxRatio)
        #expect(inflated(path) == nil)
        var n = 0
        try CSVReader(path: path).forEachRecord { _ in
            n += 1; return true
        }
        #expect(n == 2_000_001)
    }
}
