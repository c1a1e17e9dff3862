import Definitions
import Foundation
import FuzzSupport
import Ingest
import Profiles

/// The definition loader over any bytes, as a file: a source, a profile, a partnership group, a
/// benchmark, the comparator areas and a folder of shared code lists, each loaded from the same
/// input (against the project's own sources and profiles).
///
/// Invariants: each loader returns a definition or throws `DefinitionErrors` (typed throws: no
/// other error can escape), never an empty list, every error naming the file, a line within the
/// file (0 for a file that cannot be read as text), a column, and a message. A source definition
/// that loads then ingests a small extract with its own header: every row read is accepted or
/// rejected and the table has a row per accepted row.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDefinitions(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = fuzzInput(data, size)
    let path = Fuzz.write(UnsafeRawBufferPointer(input), to: "definition.yaml")
    // YAML breaks lines at LF, CR (a CRLF counts once), NEL, LS and PS: a bound on the lines.
    let lines = input.reduce(1) { $0 + ([0x0A, 0x0D, 0x85, 0xA8, 0xA9].contains($1) ? 1 : 0) }
    let check = { (what: String, errors: DefinitionErrors) in
        Fuzz.require(!errors.errors.isEmpty, "\(what): thrown with no error")
        for e in errors.errors {
            Fuzz.require(e.file.hasSuffix("definition.yaml"), "\(what): error names \(e.file): \(e)")
            Fuzz.require(
                (0...lines + 1).contains(e.line) && e.column >= 0, "\(what): error at \(e.line):\(e.column) of \(lines) lines: \(e)")
            Fuzz.require(!e.message.isEmpty, "\(what): error without a message")
        }
    }

    do {
        let source = try SourceDefinition.load(path: path, shared: Engine.sharedCodes)
        ingestSample(source)
    } catch { check("source", error) }
    do { _ = try ProfileDefinition.load(path: path, sources: Engine.sources, measures: MeasureLibrary.grammars) } catch {
        check("profile", error)
    }
    do { _ = try GroupDefinition.load(path: path, profiles: Engine.profileCatalogue, audiences: Engine.audiences) } catch {
        check("group", error)
    }
    do { _ = try BenchmarkDefinition.load(path: path, profiles: Engine.profileCatalogue) } catch { check("benchmark", error) }
    do { _ = try ComparatorGroups.load(path: path) } catch { check("areas", error) }
    let codes = Fuzz.scratch + "/codes"
    try? FileManager.default.createDirectory(atPath: codes, withIntermediateDirectories: true)
    Fuzz.write(UnsafeRawBufferPointer(input), to: "codes/definition.yaml")
    do { _ = try SharedCodeLists.load(directory: codes) } catch { check("code lists", error) }
    return 0
}

/// An extract for a freshly loaded source: its columns as the header (a pattern's `*` as `x`),
/// then rows of blanks, of "1", of each code list's first codes, and of a date in its layout.
func ingestSample(_ source: SourceDefinition) {
    var columns: [String] = []
    for c in source.columnReferences.map(\.column) where !columns.contains(c) { columns.append(c) }
    let header = columns.map { $0.replacingOccurrences(of: "*", with: "x") }
    func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
    var rows = [header.map(quoted).joined(separator: ",")]
    // Quoted, so that a row of one blank field is a record, not a blank line.
    rows.append(Array(repeating: "\"\"", count: header.count).joined(separator: ","))
    rows.append(Array(repeating: "1", count: header.count).joined(separator: ","))
    let firstCodes = source.codeLists.map { $0.entries.first?.code ?? "" }
    rows.append(header.indices.map { quoted(firstCodes.isEmpty ? "x" : firstCodes[$0 % firstCodes.count]) }.joined(separator: ","))
    rows.append(Array(repeating: "01/02/2024", count: header.count).joined(separator: ","))
    let text = rows.joined(separator: "\n") + "\n"
    let path = Fuzz.write(Array(text.utf8), to: "sample.csv")
    let drop = DropIngestor.ingest(
        [(source, [path])], reference: Engine.reference, key: Engine.key,
        options: IngestOptions(threads: 1, partBytes: 0))
    for r in drop.reports {
        Fuzz.require(r.rowsRead == r.accepted + r.rejected, "source '\(source.id)': read \(r.rowsRead) != \(r.accepted) + \(r.rejected)")
        Fuzz.require(r.fatalError != nil || r.rowsRead == 4, "source '\(source.id)': \(r.rowsRead) rows read of 4")
        Fuzz.require(drop.tables[source.id]?.rowCount == r.accepted, "source '\(source.id)': table rows != accepted")
    }
}
