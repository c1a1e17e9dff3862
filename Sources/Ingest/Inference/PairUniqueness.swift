import CSVText
import Columnar
import Foundation

/// A second pass for a record id when no column alone is one: each pair of the columns likeliest
/// to identify a record (never blank, the most distinct values), checked over every row; the first
/// pair whose values never repeat together.
enum PairUniqueness {
    /// The candidates: at most four columns with a value on every row and more than one value,
    /// the most distinct first.
    static func candidates(_ e: FileEvidence) -> [Int] {
        let usable = e.header.indices.filter { e.columns[$0].filled == e.rows && e.rows > 1 && e.columns[$0].distinct.count > 1 }
        let ranked = usable.sorted {
            let (a, b) = (e.columns[$0], e.columns[$1])
            return a.manyDistinct != b.manyDistinct ? a.manyDistinct : a.distinct.count > b.distinct.count
        }
        return Array(ranked.prefix(4))
    }

    /// The first pair of `columns` unique over every row of `paths`, or nil.
    static func find(_ paths: [String], columns: [Int], threads: Int, partBytes: Int = 64 << 20) -> (Int, Int)? {
        let pairs = columns.indices.flatMap { i in columns.indices.filter { $0 > i }.map { (columns[i], columns[$0]) } }
        guard !pairs.isEmpty else { return nil }
        var alive = [Set<UInt64>?](repeating: [], count: pairs.count)
        for path in paths {
            let pieces = FileEvidence.eachPart(path, threads: threads, partBytes: partBytes) { part in
                hashes(path, part: part, pairs: pairs)
            }
            for piece in pieces {
                for k in pairs.indices { alive[k] = FileEvidence.unique(alive[k], then: piece[k]) }
            }
        }
        return alive.firstIndex { $0 != nil }.map { pairs[$0] }
    }

    /// Each pair's hashes over one part of a file (nil once a pair repeats).
    private static func hashes(_ path: String, part: CSVPart?, pairs: [(Int, Int)]) -> [Set<UInt64>?] {
        var sets = [Set<UInt64>?](repeating: [], count: pairs.count)
        let skipHeader = (part?.index ?? 0) == 0
        _ = try? CSVReader(path: path, part: part).forEachRecord { r in
            if skipHeader && r.index == 1 { return true }
            var any = false
            for (k, (a, b)) in pairs.enumerated() where sets[k] != nil {
                guard a < r.count, b < r.count else { continue }
                let h = ColumnEvidence.hash(r.field(b).trimmed(), seed: ColumnEvidence.hash(r.field(a).trimmed()))
                if sets[k]!.insert(h).inserted == false { sets[k] = nil } else { any = true }
            }
            return any
        }
        return sets
    }
}
