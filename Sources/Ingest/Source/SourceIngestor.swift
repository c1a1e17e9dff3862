import CSVText
import Columnar
import Definitions
import Dispatch
import Foundation

/// Reads files of one source (or one part of one large file) into typed columns and pseudonymised
/// person keys, accounting for every row: accepted, or rejected with file, line, column, kind and
/// message. Parts read on different cores are joined in file order with `append`.
final class SourceIngestor {
    let source: SourceDefinition
    private let reference: ReferenceData
    /// Identifiers met by this ingestor's own reading (no room made when the source has no people).
    private let pool: IdentifierPool
    private let quarantine: QuarantineWriter?
    private(set) var fields: [FieldBuilder] = []
    private(set) var roles: [RoleBuilder] = []
    /// People per part read (one part unless parts were joined).
    private(set) var peopleParts: [PeoplePart] = []
    /// The builders without reference counting in the per-row loop (they live as long as `fields`/`roles`).
    /// (Buffers rather than arrays: reading them retains nothing.)
    private var hotFields = UnsafeMutableBufferPointer<Unmanaged<FieldBuilder>>(start: nil, count: 0)
    private var hotRoles = UnsafeMutableBufferPointer<Unmanaged<RoleBuilder>>(start: nil, count: 0)
    private(set) var reports: [FileReport] = []
    /// Rows of the table contributed by each file, in file order.
    private(set) var fileRows: [Range<Int>] = []
    // @exclusivity(unchecked) below: one ingest task's state, never re-entered (docs/ARCHITECTURE.md, "Unsafe choices").
    @exclusivity(unchecked) private(set) var rowCount = 0
    /// Rows every builder has room for.
    @exclusivity(unchecked) private var capacity = 0
    private var headerColumns: [String: Int]?
    /// Whether this ingestor began in the middle of a file (a part after the first).
    private var startsMidFile = false
    private let decoder: TextDecoder
    /// Positions of the identity columns in the file being read (checked for encoding, not read as fields).
    private var identityIndex: [Int] = []
    /// The source's `date` field: ages are worked out on it.
    @exclusivity(unchecked) private var eventDate: FieldBuilder?
    /// The columns brought in from another file of the drop (`join:`), after the file's own: to the
    /// builders, the `k`-th is column `h + k` of a file whose header has `h` columns.
    private var joined: JoinedColumns?
    /// The position of the join's key column in the file being read.
    private var joinKeyColumn = 0

    /// Role names, in the order of `PeoplePart.roles`.
    var roleNames: [String] { source.people.map(\.name) }
    var hasBirthDate: [Bool] { roles.map(\.hasBirthDate) }

    /// Whether roles intern each row's clear identity for probabilistic matching.
    private let encodesIdentities: Bool
    init(source: SourceDefinition, reference: ReferenceData, quarantine: QuarantineWriter?, encodesIdentities: Bool = false) {
        (self.source, self.encodesIdentities, self.reference, self.quarantine) = (source, encodesIdentities, reference, quarantine)
        pool = IdentifierPool(capacity: source.people.isEmpty ? 0 : 1 << 12)
        decoder = TextDecoder(source.encoding)
    }

    deinit {
        hotFields.deallocate()
        hotRoles.deallocate()
    }

    /// Bytes of the files this ingestor reads after the current one: room is made for their rows too.
    var bytesAhead = 0

    /// Rows read before the room for a file's rows is estimated from their length.
    private static let sampleRows = 2048

    /// Builders are made from the first file's header; later files must name the same columns.
    private func prepare(header: [String], file: String, report: inout FileReport) -> Bool {
        var index: [String: Int] = [:]
        var duplicates = Set<String>()
        for (i, name) in header.enumerated() {
            if index[name] != nil { duplicates.insert(name) } else { index[name] = i }
        }
        // An optional field's column may be absent; its field is then blank in every row.
        let all = source.fields + source.people.flatMap(\.fields)
        let optional = Set(all.filter { $0.optional && !$0.column.contains("*") }.map(\.column))
            .subtracting(all.filter { !$0.optional }.map(\.column)).subtracting(source.recordID)
            .subtracting(source.people.flatMap { $0.identity.map(\.column) })
        report.absentColumns = optional.filter { index[$0] == nil }.sorted()
        let referenced = source.columnReferences.filter { !$0.column.contains("*") && !report.absentColumns.contains($0.column) }
        // Fields named by a pattern take the matching header (see SourceDefinition.position).
        let patterned = (source.fields + source.people.flatMap(\.fields)).filter { $0.column.contains("*") }
        let patternPositions = patterned.map { SourceDefinition.position(of: $0, in: header) }
        let used = Set(referenced.map(\.column) + patternPositions.compactMap { $0.map { header[$0] } })
        report.unreadColumns = header.filter { !used.contains($0) }
        let missing =
            Array(Set(referenced.map(\.column)).subtracting(index.keys)).sorted().map { "'\($0)'" }
            + zip(patterned, patternPositions).filter { $0.1 == nil }.map { "match \($0.0.occurrence) of '\($0.0.column)'" }
        if !missing.isEmpty {
            let lines = Set(referenced.filter { index[$0.column] == nil }.map(\.at.line)).sorted().map(String.init)
            report.fatalError =
                "the header lacks column(s) \(missing.joined(separator: ", ")) named by \(source.location.file)"
                + (lines.isEmpty ? "" : " at line(s) \(lines.joined(separator: ", "))")
            return false
        }
        let ambiguous = Array(duplicates.intersection(referenced.map(\.column))).sorted()
        if !ambiguous.isEmpty {
            report.fatalError = "column(s) \(ambiguous.map { "'\($0)'" }.joined(separator: ", ")) appear more than once in the header"
            return false
        }
        if let existing = headerColumns {
            // A second file of the same source: the columns read must sit where the builders expect.
            for name in Set(referenced.map(\.column)) where existing[name] != index[name] {
                report.fatalError = "the columns are in a different order than in the source's first file ('\(name)' moved)"
                return false
            }
            return true
        }
        headerColumns = index
        for f in source.fields {
            fields.append(
                FieldBuilder(
                    definition: f, name: f.name, column: SourceDefinition.position(of: f, in: header) ?? Int.max,
                    codeList: f.codeList.flatMap(source.codeList(named:)), flags: source.flags, reference: reference))
        }
        eventDate = fields.first { $0.name == "date" && $0.type == .date }
        for role in source.people {
            roles.append(RoleBuilder(role: role, source: source.id, header: index, encodes: encodesIdentities))
            for f in role.fields {
                fields.append(
                    FieldBuilder(
                        definition: f, name: "\(role.name).\(f.name)", column: SourceDefinition.position(of: f, in: header) ?? Int.max,
                        codeList: f.codeList.flatMap(source.codeList(named:)), flags: source.flags, reference: reference))
            }
        }
        hotFields = .allocate(capacity: fields.count)
        _ = hotFields.initialize(from: fields.map { Unmanaged.passUnretained($0) })
        hotRoles = .allocate(capacity: roles.count)
        _ = hotRoles.initialize(from: roles.map { Unmanaged.passUnretained($0) })
        peopleParts = [PeoplePart(pool: pool, roles: roles, rows: 0..<0)]
        return true
    }

    /// Room for about this many more rows in every builder (estimated from the file size), so
    /// buffers grow once rather than doubling through the file; once rows are held, at least half
    /// as much again (files read one after another, each asking for a little more, copy rarely).
    private func reserve(rows: Int) {
        guard rows > capacity else { return }
        let rows = rowCount > 0 ? max(rows, capacity + capacity / 2) : rows
        for f in fields { f.reserve(rows, keeping: rowCount) }
        for r in roles { r.reserve(rows, keeping: rowCount) }
        capacity = rows
    }

    /// Ingests one file, or one part of it; its report is appended to `reports`. A part after the
    /// first is given the file's header.
    /// - Returns: false when a part turned out to end inside a record (the file must be read whole).
    @discardableResult
    func ingest(path: String, displayName: String, part: CSVPart? = nil, header: [String] = []) -> Bool {
        var report = FileReport(source: source.id, file: displayName, maxRejectShare: source.maxRejectShare)
        let size = part?.bytes.count ?? fileSize(path)
        report.bytes = size
        // Room for the whole file's rows even in its first part (the later parts are joined onto it).
        let readBytes = DropIngestor.textBytes(part?.index == 0 ? fileSize(path) : size, path: path) + bytesAhead
        let firstRow = rowCount
        var splitHeld = true
        let invalidBefore = roles.map(\.invalidNHSNumbers)
        var (headerCount, sampleBytes, usable) = (0, 0, true)
        let identityColumns = Set(source.people.flatMap { $0.identity.map(\.column) })
        var names: [String] = []
        if let join = source.join { joined = JoinedColumns.load(beside: path, join: join, encoding: source.encoding, report: &report) }
        // The header (the first record, or given to a later part), taken without a nested function: one
        // capturing these variables boxes them, with an exclusivity check on each row's access.
        let midFile = (part?.index ?? 0) > 0
        if midFile {
            if reports.isEmpty { startsMidFile = true }
            (names, headerCount) = (header, header.count)
            usable = useHeader(names, file: displayName, identityColumns: identityColumns, report: &report)
            report.unreadColumns = []
        }
        do {
            splitHeld = try CSVReader(path: path, part: part).forEachRecord { record in
                if record.index == 1 && !midFile {
                    (names, headerCount) = (record.headerNames(), record.count)
                    usable = useHeader(names, file: displayName, identityColumns: identityColumns, report: &report)
                    return usable
                }
                guard usable else { return false }
                report.rowsRead += 1
                if report.rowsRead <= Self.sampleRows {
                    // The first rows tell how long a row is: room for the rest of the file is then
                    // reserved once, so the columns are not grown (and copied) as it is read.
                    // (A line read whole is its bytes and a line feed; a quoted one's fields are fewer
                    // bytes than its line, which errs on the side of room.)
                    sampleBytes += record.byteCount + 1
                    if report.rowsRead == Self.sampleRows {
                        reserve(rows: rowCount + (readBytes - sampleBytes) * Self.sampleRows / max(1, sampleBytes) * 5 / 4 + 1024)
                    }
                }
                if let failure = ingestRow(record, headerCount: headerCount) {
                    report.rejected += 1
                    report.record(failure.kind, line: record.line, column: failure.column)
                    quarantine?.write(
                        file: displayName, line: record.line, column: failure.column,
                        columnName: failure.column > 0 && failure.column <= names.count ? names[failure.column - 1] : "",
                        kind: failure.kind, message: failure.message, record: record)
                } else {
                    report.accepted += 1
                }
                return true
            }
            if names.isEmpty && !midFile { report.fatalError = "the file is empty: no header row" }
        } catch let e as CSVReadError where e.kind == .unterminatedQuote {
            // The rest of the file is one unfinished record: it is read and rejected (unless the
            // header made the file unusable, as a later part of it learns only at its end).
            if usable {
                report.rowsRead += 1
                report.rejected += 1
                report.record(.unterminatedQuote, line: e.line ?? 0, column: 0)
                quarantine?.writeUnreadable(file: displayName, line: e.line ?? 0, kind: .unterminatedQuote, message: e.message)
            }
        } catch let e as CSVReadError {
            report.fatalError = "\(e.kind.rawValue): \(e.message)" + (e.line.map { " (near line \($0))" } ?? "")
        } catch {
            report.fatalError = "\(error)"
        }
        fileRows.append(firstRow..<rowCount)
        if !peopleParts.isEmpty { peopleParts[0].rows = 0..<rowCount }
        addLinkage(to: &report, invalidBefore: invalidBefore)
        reports.append(report)
        return splitHeld
    }

    /// Takes a file's header: whether the file can be read, with room made for its first rows and
    /// the identity columns found.
    private func useHeader(_ header: [String], file: String, identityColumns: Set<String>, report: inout FileReport) -> Bool {
        var columns = header
        if let join = source.join {
            // The columns brought in follow the file's own; a join that failed refuses the file.
            guard let joined, let key = joined.keyColumn(in: header, report: &report) else { return false }
            (joinKeyColumn, columns) = (key, header + join.columns)
        }
        let usable = prepare(header: columns, file: file, report: &report)
        if usable { reserve(rows: rowCount + Self.sampleRows + 64) }
        identityIndex = header.indices.filter { identityColumns.contains(header[$0]) }
        return usable
    }

    /// Appends what `rest` read (the following files or parts of this source, in file order):
    /// columns, people, file reports (a part continuing the last file adds to its report).
    /// - Returns: false when the columns cannot be joined (a set field with more than 64 labels
    ///   in all); this ingestor is then spent and the source must be read in one piece.
    func join(_ rest: [SourceIngestor]) -> Bool {
        var rest = rest[...]
        while fields.isEmpty, let next = rest.popFirst() {
            // Nothing read yet (an unusable first file): the next piece's builders become ours.
            fields = next.fields
            roles = next.roles
            headerColumns = next.headerColumns
            eventDate = next.eventDate
            peopleParts += next.peopleParts.map {
                PeoplePart(pool: $0.pool, pseudonyms: $0.pseudonyms, roles: $0.roles, rows: $0.rows.shifted(by: rowCount))
            }
            appendReports(of: next)
        }
        // Each piece with the piece that starts its file; a file whose columns sit elsewhere than
        // in the source's first file is refused, as when the files are read in one go.
        var fileStart: [Int] = []
        var start = rest.startIndex
        for i in rest.indices {
            if !rest[i].startsMidFile { start = i }
            fileStart.append(start)
        }
        let read = Set(source.columnReferences.map(\.column))
        let refused = Set(
            rest.indices.filter { i in
                !rest[i].fields.isEmpty && !rest[i].startsMidFile && read.contains { rest[i].headerColumns?[$0] != headerColumns?[$0] }
            })
        let joinable = rest.indices.filter { !rest[$0].fields.isEmpty && !refused.contains(fileStart[$0 - rest.startIndex]) }.map {
            rest[$0]
        }
        for (f, builder) in fields.enumerated() where !builder.canAppend(joinable.map { $0.fields[f] }) { return false }
        // Each field on its own (the fields share nothing), on as many cores as are free.
        let counts = joinable.map(\.rowCount), rows = rowCount
        nonisolated(unsafe) let builders = fields, pieces = joinable
        parallelFor(builders.count, threads: builders.count) { f in
            builders[f].append(contentsOf: pieces.map { $0.fields[f] }, counts: counts, after: rows)
        }
        for i in rest.indices {
            let next = rest[i]
            let s = fileStart[i - rest.startIndex]
            guard refused.contains(s) else {
                peopleParts += next.peopleParts.map {
                    PeoplePart(pool: $0.pool, pseudonyms: $0.pseudonyms, roles: $0.roles, rows: $0.rows.shifted(by: rowCount))
                }
                appendReports(of: next)
                continue
            }
            if i == s, let first = next.reports.first {
                var report = FileReport(source: source.id, file: first.file, maxRejectShare: source.maxRejectShare)
                report.fatalError = "the columns are in a different order than in the source's first file"
                report.linkage = first.linkage.map { FileReport.Linkage(role: $0.role) }
                reports.append(report)
                fileRows.append(rowCount..<rowCount)
            }
            reports[reports.count - 1].bytes += next.reports.reduce(0) { $0 + $1.bytes }
            next.discardPeople()
        }
        return true
    }

    private func appendReports(of next: SourceIngestor) {
        for (i, r) in next.reports.enumerated() {
            let rows = next.fileRows[i].shifted(by: rowCount)
            if i == 0 && next.startsMidFile && !reports.isEmpty {
                reports[reports.count - 1].absorb(r)
                fileRows[fileRows.count - 1] = fileRows[fileRows.count - 1].lowerBound..<rows.upperBound
            } else {
                reports.append(r)
                fileRows.append(rows)
            }
        }
        rowCount += next.rowCount
    }

    /// Once every file or part of this ingestor is read: the fields' lookup caches are dropped, and
    /// the identifiers read are pseudonymised (clear values leave memory).
    func finishReading(keyer: PersonKeyer) {
        for f in fields { f.dropCaches() }
        for part in peopleParts where part.rows.upperBound == rowCount {
            for r in part.roles { r.finish(rows: part.rows.count, pool: part.pool) }
        }
        for i in peopleParts.indices where peopleParts[i].pool.count > 0 {
            peopleParts[i].pseudonyms = keyer.pseudonymise(peopleParts[i].pool)
        }
    }

    private func discardPeople() {
        for p in peopleParts { p.pool.release(); for r in p.roles { r.releaseCodes() } }
        peopleParts = []
    }

    /// Parses one data row into every builder, committing only if all fields pass.
    private func ingestRow(_ record: CSVRecord, headerCount: Int) -> Failure? {
        let n = record.count
        if n > headerCount {
            return Failure(kind: .tooManyColumns, column: headerCount + 1, message: "\(n) fields where the header has \(headerCount)")
        }
        if n < headerCount && !source.padShortRows {
            return Failure(kind: .missingColumns, column: n + 1, message: "\(n) fields where the header has \(headerCount)")
        }
        let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        // A source with a join takes the other file's row with this row's key (or refuses the row).
        var joinedRow = -1
        if let j = joined {
            guard joinKeyColumn < n, let r = j.row(forKey: record.field(joinKeyColumn)) else {
                return Failure(
                    kind: .unmatchedJoinKey, column: joinKeyColumn + 1, message: "no row of \(j.fileName) has this \(j.join.otherKey)")
            }
            joinedRow = r
        }
        let joinedCells = joined
        let row = rowCount
        if row == capacity { reserve(rows: max(1024, capacity * 2)) }
        return Unmanaged.passUnretained(decoder)._withUnsafeGuaranteedRef { decoder in
            Unmanaged.passUnretained(pool)._withUnsafeGuaranteedRef { pool in
                // A record of ASCII bytes (nearly all) is valid text as it stands: no field is decoded.
                let ascii = record.isASCII
                for hot in hotFields {
                    // nil: the value is not valid text in the source's encoding.
                    let outcome: FieldBuilder.Outcome? = hot._withUnsafeGuaranteedRef { builder in
                        let c = builder.column
                        if c >= headerCount, let j = joinedCells, c - headerCount < j.columnCount {
                            return builder.parse(j.cell(c - headerCount, row: joinedRow), row: row)
                        }
                        let bytes = c < n ? record.field(c) : empty
                        guard let text = ascii ? bytes : decoder.decode(bytes) else { return nil }
                        return builder.parse(text, row: row)
                    }
                    if outcome != .ok { return failure(outcome, of: hot.takeUnretainedValue()) }
                }
                // Identity columns: checked for encoding (without echoing their values), then read.
                if !ascii {
                    for c in identityIndex where c < n && decoder.decode(record.field(c)) == nil {
                        return Failure(
                            kind: .invalidEncoding, column: c + 1,
                            message: "an identity column holds bytes that are not valid \(source.encoding.rawValue)")
                    }
                }
                let eventDay = eventDate?.day(at: row)
                for hot in hotRoles {
                    hot._withUnsafeGuaranteedRef { role in
                        role.parse(
                            { c in
                                if c >= headerCount, let j = joinedCells, c - headerCount < j.columnCount {
                                    return j.cell(c - headerCount, row: joinedRow)
                                }
                                return c < n ? (ascii ? record.field(c) : (decoder.decode(record.field(c)) ?? empty)) : empty
                            },
                            eventDay: eventDay, pool: pool, row: row)
                    }
                }
                // Every field passed: the row is kept.
                rowCount += 1
                return nil
            }
        }
    }
}
