import CSVText
import Columnar
import Definitions
import Foundation
import FuzzSupport
import Ingest

/// A fuzzed extract through the whole ingest of one source (`DropIngestor`: CSV reader, field
/// builders, people, quarantine), read as the source whose columns its first line names (one of
/// the partnership's sources or a public format; police crimes if none), once whole and once cut
/// into parts read on two threads.
///
/// Invariants: every row read is accepted or rejected (read = accepted + rejected), the rejects
/// by kind add up to the rejected, the table has a row per accepted row and every column a value
/// per row, the quarantine file holds a row per rejected row; and the file read in parts gives
/// the same report, the same table cell for cell (people alike) and the same quarantine file,
/// byte for byte, as the file read whole.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIngest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = fuzzInput(data, size)
    let source = chooseSource(input)
    let name = source.file.replacingOccurrences(of: "*", with: "x") + ".csv"
    let path = Fuzz.write(UnsafeRawBufferPointer(input), to: name)

    let whole = ingest(source, path, partBytes: 0, threads: 1, quarantine: "whole")
    let parts = ingest(source, path, partBytes: max(1, size / 3), threads: 2, quarantine: "parts")
    Fuzz.require(whole.report == parts.report, "read in parts: \(parts.report), whole: \(whole.report)")
    Fuzz.require(whole.cells == parts.cells, "the table read in parts differs from the table read whole")
    Fuzz.require(whole.quarantine == parts.quarantine, "the quarantine file written in parts differs from the one written whole")
    return 0
}

/// The first source (partnership's, then public) whose every named column the first line holds.
func chooseSource(_ input: UnsafeBufferPointer<UInt8>) -> SourceDefinition {
    let firstLine = input.prefix { $0 != 0x0A && $0 != 0x0D }
    let header = Set(
        String(decoding: firstLine, as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" \t\u{FEFF}")) })
    for source in Engine.sources.sources + Engine.publicSources.sources {
        let named = source.columnReferences.map(\.column).filter { !$0.contains("*") }
        if named.allSatisfy(header.contains) { return source }
    }
    return Engine.sources.source("police_crimes")!
}

struct Outcome {
    var report: String
    var cells: [String: [String]]
    var quarantine: [UInt8]
}

func ingest(_ source: SourceDefinition, _ path: String, partBytes: Int, threads: Int, quarantine: String) -> Outcome {
    let folder = Fuzz.scratch + "/quarantine-" + quarantine
    try? FileManager.default.removeItem(atPath: folder)
    let drop = DropIngestor.ingest(
        [(source, [path])], reference: Engine.reference, key: Engine.key,
        options: IngestOptions(threads: threads, quarantineFolder: folder, partBytes: partBytes))
    Fuzz.require(drop.reports.count == 1, "\(drop.reports.count) reports for one file")
    let r = drop.reports[0]
    Fuzz.require(r.rowsRead == r.accepted + r.rejected, "read \(r.rowsRead) != accepted \(r.accepted) + rejected \(r.rejected)")
    Fuzz.require(r.rejects.values.reduce(0) { $0 + $1.count } == r.rejected, "rejects by kind \(r.rejects) do not add up to \(r.rejected)")
    Fuzz.require(r.rejects.values.allSatisfy { $0.count > 0 && $0.firstPlaces.count == min(5, $0.count) }, "reject places \(r.rejects)")
    Fuzz.require(r.accepted >= 0 && r.rejected >= 0, "negative counts")
    let table = drop.tables[source.id]
    Fuzz.require(table != nil, "no table for \(source.id)")
    Fuzz.require(table!.rowCount == r.accepted, "\(table!.rowCount) rows in the table, \(r.accepted) accepted")
    let cells = cells(table!)
    var quarantined: [UInt8] = []
    if r.rejected > 0 {
        let file = folder + "/" + source.id + ".rejects.csv"
        Fuzz.require(drop.quarantineFiles == [file], "quarantine files \(drop.quarantineFiles)")
        quarantined = FileManager.default.contents(atPath: file).map { [UInt8]($0) } ?? []
        var rows = 0
        do {
            try CSVReader(path: file).forEachRecord { record in
                Fuzz.require(record.count == 7, "a quarantine row of \(record.count) fields")
                rows += 1
                return true
            }
        } catch {
            Fuzz.require(false, "the quarantine file cannot be read back: \(error)")
        }
        Fuzz.require(rows == r.rejected + 1, "\(rows - 1) quarantine rows for \(r.rejected) rejected")
    } else {
        Fuzz.require(drop.quarantineFiles.isEmpty, "a quarantine file with nothing rejected")
    }
    // The account without the bytes (a file read in parts sums its parts' sizes alike).
    let report =
        "read \(r.rowsRead) accepted \(r.accepted) rejected \(r.rejected) rejects \(r.rejects.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.count)@\($0.value.firstPlaces)" }) fatal \(r.fatalError ?? "-") unread \(r.unreadColumns) dates \(r.dateRanges.map { "\($0.field):\($0.first)..\($0.last)" }) nulls \(r.nullRates.map { "\($0.field)=\($0.nulls)" }) geography \(r.geography.map { "\($0.field):\($0.inArea)/\($0.outsideArea)/\($0.unknownCode)/\($0.missing)" }) linkage \(r.linkage.map { "\($0.role):\($0.byNHSNumber)/\($0.bridgedToNHSNumber)/\($0.byMatchKey)/\($0.byLocalID)/\($0.unkeyed)/\($0.invalidNHSNumbers)" }) unknown \(r.unknownCodes.map { "\($0.field)=\($0.value)x\($0.count)" })"
    return Outcome(report: report, cells: cells, quarantine: quarantined)
}
