import CLineCut
import Foundation
import TestSupport
import Testing

@testable import CSVText

/// Lines without quotes are cut at their commas by the reader itself; everything else goes through
/// libcsv. The two must give the same records, lines and errors on any input: checked here on
/// random texts built from the bytes that matter (separators, quotes, CR, LF, blanks, non-ASCII).
@Suite("CSV reader: quick lines agree with libcsv")
struct CSVQuickLineTests {
    struct Outcome: Equatable {
        var records: [[String]] = []
        var lines: [Int] = []
        /// Whether each record is plain ASCII (the quick path notes it while cutting the line).
        var ascii: [Bool] = []
        var error: String?
    }

    private func read(_ path: String, quick: Bool, chunkSize: Int) -> Outcome {
        var reader = CSVReader(path: path, chunkSize: chunkSize)
        reader.quickLines = quick
        var out = Outcome()
        do {
            try reader.forEachRecord { r in
                out.records.append(r.strings())
                out.lines.append(r.line)
                out.ascii.append(r.isASCII)
                return true
            }
        } catch let e as CSVReadError {
            out.error = "\(e.kind) line \(e.line ?? -1)"
        } catch {
            out.error = "\(error)"
        }
        return out
    }

    /// A deterministic generator (SplitMix64), so a failure can be replayed.
    struct Random: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 { UInt64(next(Int.max)) }
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    @Test func randomTextsGiveTheSameRecordsBothWays() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let pieces: [[UInt8]] = [
            Array("abc".utf8), Array("12".utf8), [0x2C], [0x2C], [0x2C], [0x22], [0x22, 0x22], [0x0A], [0x0A],
            [0x0D, 0x0A], [0x0D], [0x20], [0x09], [0xC3, 0xA9], [0xE9], Array("x y".utf8), Array("\"q,\nr\"".utf8), [0],
        ]
        var random = Random(state: 42)
        var differences: [String] = []
        var quoteless = 0
        var long = 0
        for round in 0..<600 {
            var bytes: [UInt8] = []
            // Some texts have no quote at all (the quick path end to end), most mix both.
            let noQuotes = round % 4 == 0
            // Some lines long enough to be cut sixteen bytes at a time, fields and separators
            // falling anywhere in a block.
            let longLines = round % 3 == 0
            if longLines { long += 1 }
            for _ in 0..<(1 + random.next(60)) {
                if longLines && random.next(3) == 0 {
                    bytes += Array(String(repeating: "v", count: random.next(40)).utf8)
                }
                let piece = pieces[random.next(pieces.count)]
                if noQuotes && piece.contains(0x22) { continue }
                bytes += piece
            }
            if round % 7 == 0 { bytes = [0xEF, 0xBB, 0xBF] + bytes }
            if noQuotes { quoteless += 1 }
            let path = try dir.write("r\(round).csv", bytes: bytes)
            for chunk in [3, 16, 1 << 20] {
                let quick = read(path, quick: true, chunkSize: chunk)
                let plain = read(path, quick: false, chunkSize: chunk)
                if quick != plain {
                    differences.append("round \(round) chunk \(chunk): \(bytes) -> quick \(quick) vs libcsv \(plain)")
                }
            }
        }
        #expect(quoteless > 50 && long > 100)
        #expect(differences.isEmpty, "\(differences.prefix(3))")
    }

    /// The cut sixty-four bytes at a time (AVX2, where the processor runs it) and the portable one
    /// agree on every line: separators, quotes, carriage returns, line feeds and non-ASCII bytes
    /// placed at and around every position of a block, in lines of 1 to 300 bytes.
    @Test func wideAndPortableCutsAgree() {
        var random = Random(state: 7)
        let special: [UInt8] = [0x2C, 0x22, 0x0D, 0x0A, 0x20, 0x09, 0xE9, 0]
        var disagreements: [String] = []
        for round in 0..<4000 {
            let length = 1 + random.next(300)
            var line = [UInt8](repeating: UInt8(ascii: "v"), count: length + 80)
            for _ in 0..<random.next(12) { line[random.next(line.count)] = UInt8(ascii: ",") }
            // One special byte at a chosen place (often a block's last or first byte), and a line
            // feed, sometimes after a carriage return, at the line's end.
            let at = round % 3 == 0 ? [62, 63, 64, 127, 128].randomElement(using: &random)! : random.next(length)
            if at < line.count { line[at] = special[random.next(special.count)] }
            line[length] = 0x0A
            if round % 5 == 0 && length > 1 { line[length - 1] = 0x0D }
            let available = random.next(4) == 0 ? length - random.next(min(length, 70)) : line.count
            var wide = [Int](repeating: -1, count: 2 * 16), portable = wide
            let a = line.withUnsafeBufferPointer { pp_cut_line($0.baseAddress, available, &wide, 16) }
            let b = line.withUnsafeBufferPointer { pp_cut_line_portable($0.baseAddress, available, &portable, 16) }
            let same =
                a.status == b.status && a.end == b.end && a.length == b.length && a.fields == b.fields && a.ascii == b.ascii
                && (a.status != PP_LINE_CUT || wide.prefix(2 * a.fields) == portable.prefix(2 * b.fields))
            if !same { disagreements.append("round \(round): \(line.prefix(length + 1)) available \(available): \(a) vs \(b)") }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(2))")
    }

    @Test func spacesAroundUnquotedFieldsAndBlankLinesAsLibcsv() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try dir.write("s.csv", "a , b,\tc\t\n   \n\n x ,,y \r\nlast,line")
        let quick = read(path, quick: true, chunkSize: 1 << 20)
        #expect(quick.records == [["a", "b", "c"], ["x", "", "y"], ["last", "line"]])
        #expect(quick.lines == [1, 4, 5])
        #expect(quick == read(path, quick: false, chunkSize: 1 << 20))
    }
}
