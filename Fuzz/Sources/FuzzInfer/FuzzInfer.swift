import Definitions
import Foundation
import FuzzSupport
import Ingest

/// `profiler sources infer` over any bytes: a file is drafted from, or refused with an
/// `InferenceError`; a draft always loads as a source definition; and ingest with the draft
/// refuses no row for its values: no cast, no unknown code, no missing required field (only the
/// rows no definition could read: of another width than the header, with an unterminated quote,
/// or with bytes that are not text in the drafted encoding).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInfer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = fuzzInput(data, size)
    let path = Fuzz.write(UnsafeRawBufferPointer(input), to: "extract.csv")
    let draft: SourceDraft
    do {
        draft = try SourceDraft.infer([path], id: "fuzzed", threads: 1, reference: Engine.reference)
    } catch {
        Fuzz.require(!error.message.isEmpty, "a refusal without a message")
        return 0
    }
    let source: SourceDefinition
    do {
        source = try SourceDefinition.parse(draft.yaml, file: "fuzzed.yaml", shared: Engine.sharedCodes)
    } catch {
        Fuzz.require(false, "the draft does not load: \(error)\n\(draft.yaml)")
        return 0
    }
    let drop = DropIngestor.ingest([(source, [path])], reference: Engine.reference, key: Engine.key, options: IngestOptions(threads: 1))
    Fuzz.require(drop.reports.count == 1, "\(drop.reports.count) reports for one file")
    let r = drop.reports[0]
    Fuzz.require(r.fatalError == nil, "the drafted file is not read: \(r.fatalError ?? "")\n\(draft.yaml)")
    Fuzz.require(r.rowsRead == draft.rowCount, "ingest read \(r.rowsRead) rows, the draft \(draft.rowCount)")
    let unexplained: Set<String> = [RejectKind.cast.rawValue, RejectKind.unknownCode.rawValue, RejectKind.missingRequired.rawValue]
    for (kind, summary) in r.rejects where unexplained.contains(kind) {
        Fuzz.require(false, "ingest with the draft refuses \(summary.count) rows (\(kind), first at \(summary.firstPlaces))\n\(draft.yaml)")
    }
    return 0
}
