import Columnar
import Definitions
import Foundation
import TestSupport

@testable import Ingest

/// Reads one hostile extract the way a drop is read (the source's real definition, the bundled
/// area's reference data, the same DropIngestor) and sums up what the engine made of it.
enum HostileExtracts {
    static let catalogue: SourceCatalogue = {
        do { return try SourceCatalogue.load(profiles: TestPaths.profiles) } catch { fatalError("\(error)") }
    }()
    static let reference: ReferenceData = {
        do {
            return try ReferenceData.load(drop: TestPaths.sampleDrop, defaultGeography: TestPaths.geography, aliases: TestPaths.lsoaAliases)
        } catch { fatalError("\(error)") }
    }()

    struct Outcome: CustomStringConvertible {
        var read = 0, accepted = 0, rejected = 0
        /// `kind@line:column`, sorted.
        var rejects: [String] = []
        var fatal: String?
        var status = ""
        /// Linkage and geography figures: invalid-nhs, unkeyed, in-area, outside, unknown-place, missing-place, unread-columns.
        var also: [String: Int] = [:]
        /// Rows written to the quarantine file.
        var quarantined = 0
        var quarantineMode: Int?

        var description: String {
            "read \(read) accepted \(accepted) rejected \(rejected) rejects [\(rejects.joined(separator: " "))] fatal \(fatal ?? "-") status \(status) also \(also.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) quarantined \(quarantined)"
        }
    }

    static func outcome(path: String, source id: String) throws -> Outcome {
        guard let source = catalogue.source(id) else { fatalError("no source \(id)") }
        let quarantine = try TemporaryDirectory("hostile-quarantine")
        defer { quarantine.remove() }
        let key = try LinkageKey.resolve(keyFile: nil, environment: [:], isDemoDrop: true)
        let drop = DropIngestor.ingest(
            [(source, [path])], reference: reference, key: key,
            options: IngestOptions(threads: 1, quarantineFolder: quarantine.path))
        guard let r = drop.reports.first, drop.reports.count == 1 else { fatalError("one report expected") }
        var o = Outcome(read: r.rowsRead, accepted: r.accepted, rejected: r.rejected, fatal: r.fatalError, status: r.status.rawValue)
        for (kind, s) in r.rejects { o.rejects += s.firstPlaces.map { "\(kind)@\($0)" } }
        o.rejects.sort()
        let invalid = r.linkage.reduce(0) { $0 + $1.invalidNHSNumbers }
        if invalid > 0 { o.also["invalid-nhs"] = invalid }
        let unkeyed = r.linkage.reduce(0) { $0 + $1.unkeyed }
        if unkeyed > 0 { o.also["unkeyed"] = unkeyed }
        for g in r.geography {
            if g.inArea > 0 { o.also["in-area", default: 0] += g.inArea }
            if g.outsideArea > 0 { o.also["outside", default: 0] += g.outsideArea }
            if g.unknownCode > 0 { o.also["unknown-place", default: 0] += g.unknownCode }
            if g.missing > 0 { o.also["missing-place", default: 0] += g.missing }
        }
        if !r.unreadColumns.isEmpty { o.also["unread-columns"] = r.unreadColumns.count }
        let qfile = quarantine.file("\(id).rejects.csv")
        if FileManager.default.fileExists(atPath: qfile) {
            o.quarantined = try CSVTable(path: qfile).rows.count
            o.quarantineMode = try FileManager.default.attributesOfItem(atPath: qfile)[.posixPermissions] as? Int
        }
        return o
    }

    // MARK: inputs too large to commit, made at test time

    static let aeHeader =
        "AttendanceID,Site,NHSNumber,ArrivalDate,ArrivalTime,AgeAtArrival,Sex,EthnicCategory,LSOAofResidence,AssaultFlag,DomesticAbuseDisclosed,SelfHarm,AlcoholRelated,DrugRelated"
    static func aeRow(_ i: Int) -> String { "AE\(i),RXWAS,9990000107,2025-04-01,04:16,38,2,A,E01028857,0,0,0,0,0" }
    static let hospitalHeader = "SPELL_ID,NHS_NO,ADMIDATE,DISDATE,STARTAGE,SEX,ETHNOS,LSOA11,ADMIMETH,DIAG_4_01,DIAG_4_02,DIAG_4_03"

    /// Writes the generated input `name` into `dir` and returns its path.
    static func generate(_ name: String, in dir: TemporaryDirectory) throws -> String {
        switch name {
        case "long-line":
            // A good row, then a row whose time field runs on for 100 MB without a newline.
            let path = dir.file("ae_attendances.csv")
            try write(path) { out in
                out(Data((aeHeader + "\n" + aeRow(1) + "\nAE2,RXWAS,9990000115,2025-04-01,").utf8))
                let block = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
                for _ in 0..<100 { out(block) }
            }
            return path
        case "100000-fields":
            let path = dir.file("ae_attendances.csv")
            try write(path) { out in
                out(Data((aeHeader + "\n" + aeRow(1) + "\n" + aeRow(2)).utf8))
                out(Data(String(repeating: ",f", count: 100_000 - 14).utf8))
                out(Data(("\n" + aeRow(3) + "\n").utf8))
            }
            return path
        case "100000-column-header":
            let path = dir.file("ae_attendances.csv")
            let extra = (15...100_000).map { ",extra_\($0)" }.joined()
            let blanks = String(repeating: ",", count: 100_000 - 14)
            try write(path) { out in
                out(Data((aeHeader + extra + "\n" + aeRow(1) + blanks + "\n" + aeRow(2) + blanks + "\n").utf8))
            }
            return path
        case "gzip-bomb":
            // 1 MB on disk: a header, a good row, then 64 gzip members of 16 MB of '0' each (1 GB
            // decompressed), all one field of one record.
            let plain = dir.file("zeros")
            try Data(repeating: UInt8(ascii: "0"), count: 16 << 20).write(to: URL(fileURLWithPath: plain))
            try gzip(plain)
            let member = try Data(contentsOf: URL(fileURLWithPath: plain + ".gz"))
            let start = dir.file("start")
            try Data((hospitalHeader + "\n40000000,9990000107,20250401,20250402,4,2,A,E01028919,11,R074,N390,\n40000001,").utf8)
                .write(to: URL(fileURLWithPath: start))
            try gzip(start)
            let path = dir.file("hospital_admissions.csv.gz")
            try write(path) { out in
                out(try! Data(contentsOf: URL(fileURLWithPath: start + ".gz")))
                for _ in 0..<64 { out(member) }
            }
            try? FileManager.default.removeItem(atPath: plain + ".gz")
            try? FileManager.default.removeItem(atPath: start + ".gz")
            return path
        default:
            fatalError("no generator for \(name)")
        }
    }

    private static func write(_ path: String, _ body: ((Data) -> Void) throws -> Void) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteUnknown)
        }
        defer { try? h.close() }
        try body { h.write($0) }
    }

    private static func gzip(_ path: String) throws {
        if try ProcessRun.tool("/usr/bin/env", ["gzip", "-n", "-f", path]).status != 0 { throw CocoaError(.executableLoad) }
    }
}
