import CSVText
import Definitions
import Foundation

/// The columns a source brings in from another file of its drop (`join:`), by key: read once per
/// file of the source, as UTF-8, and looked up row by row. The key's values never reach a message.
final class JoinedColumns {
    let join: JoinDefinition
    /// The other file's name as read (`ssda903_header.csv`), for messages.
    let fileName: String
    private var rowOfKey: [[UInt8]: Int] = [:]
    /// Every kept cell's bytes, `columns` cells per row; cell i is `bytes[bounds[2i] ..< bounds[2i + 1]]`.
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    private let bounds: [Int]
    /// How many columns are brought in.
    let columnCount: Int

    private init(join: JoinDefinition, fileName: String, rowOfKey: [[UInt8]: Int], bytes: [UInt8], bounds: [Int]) {
        (self.join, self.fileName, self.rowOfKey, self.bounds) = (join, fileName, rowOfKey, bounds)
        columnCount = join.columns.count
        self.bytes = .allocate(capacity: max(1, bytes.count))
        _ = self.bytes.initialize(from: bytes)
    }

    deinit { bytes.deallocate() }

    /// The row of the other file whose key is `key` (trimmed), nil when it has none.
    func row(forKey key: UnsafeBufferPointer<UInt8>) -> Int? {
        let k = key.trimmed()
        guard !k.isEmpty else { return nil }
        return rowOfKey[Array(k)]
    }

    /// The bytes of the `column`-th column brought in, in the other file's row `row`.
    func cell(_ column: Int, row: Int) -> UnsafeBufferPointer<UInt8> {
        let i = (row * join.columns.count + column) * 2
        return UnsafeBufferPointer(rebasing: bytes[bounds[i]..<bounds[i + 1]])
    }

    /// The other file of `join`, from the folder of the file at `path`; nil, with the file refused
    /// in its report, when it cannot be used.
    static func load(beside path: String, join: JoinDefinition, encoding: TextEncoding, report: inout FileReport) -> JoinedColumns? {
        switch load(folder: (path as NSString).deletingLastPathComponent, join: join, encoding: encoding) {
        case .success(let joined): return joined
        case .failure(let e):
            report.fatalError = e.message
            return nil
        }
    }

    /// The position of the join's key in the header of the file being read (past its end when
    /// absent: the missing column is reported with the others); nil, with the file refused, when
    /// the file has a column of its own that the join would bring in.
    func keyColumn(in header: [String], report: inout FileReport) -> Int? {
        let clash = join.columns.filter(header.contains)
        guard clash.isEmpty else {
            report.fatalError =
                "column(s) \(clash.map { "'\($0)'" }.joined(separator: ", ")) are in the file and brought in by the join at \(join.location)"
            return nil
        }
        return header.firstIndex(of: join.key) ?? Int.max
    }

    /// Reads the other file from `folder` (the folder of the file being read): the named columns of
    /// each row, by key. Fails, with a message naming the file, its lines and the definition's
    /// place, when the file or a column is missing, a key repeats, or a cell is not valid text.
    static func load(folder: String, join: JoinDefinition, encoding: TextEncoding) -> Result<JoinedColumns, JoinError> {
        let at = "the join at \(join.location)"
        guard
            let name = ["\(join.file).csv", "\(join.file).csv.gz"].first(where: {
                FileManager.default.fileExists(atPath: folder + "/" + $0)
            })
        else {
            return .failure(JoinError("the drop has no file '\(join.file).csv' (or .csv.gz) for \(at)"))
        }
        let decoder = TextDecoder(encoding)
        var positions: [Int] = [], keyColumn = 0
        var rowOfKey: [[UInt8]: Int] = [:], lineOfRow: [Int] = []
        var bytes: [UInt8] = [], bounds: [Int] = []
        var failure: JoinError?
        do {
            try CSVReader(path: folder + "/" + name).forEachRecord { record in
                if record.index == 1 {
                    let header = record.headerNames()
                    let missing = ([join.otherKey] + join.columns).filter { !header.contains($0) }
                    guard missing.isEmpty else {
                        failure = JoinError("\(name) lacks column(s) \(missing.map { "'\($0)'" }.joined(separator: ", ")) named by \(at)")
                        return false
                    }
                    keyColumn = header.firstIndex(of: join.otherKey)!
                    positions = join.columns.map { header.firstIndex(of: $0)! }
                    return true
                }
                let key = keyColumn < record.count ? record.field(keyColumn).trimmed() : UnsafeBufferPointer(start: nil, count: 0)
                guard !key.isEmpty else { return true }
                if let earlier = rowOfKey[Array(key)] {
                    failure = JoinError(
                        "\(name) line \(record.line) repeats the \(join.otherKey) of line \(lineOfRow[earlier]): "
                            + "\(at) needs one row per key")
                    return false
                }
                rowOfKey[Array(key)] = lineOfRow.count
                lineOfRow.append(record.line)
                for p in positions {
                    guard let text = p < record.count ? decoder.decode(record.field(p)) : UnsafeBufferPointer(start: nil, count: 0)
                    else {
                        failure = JoinError("\(name) line \(record.line) holds bytes that are not valid \(encoding.rawValue)")
                        return false
                    }
                    bounds.append(bytes.count)
                    bytes.append(contentsOf: text)
                    bounds.append(bytes.count)
                }
                return true
            }
        } catch {
            return .failure(JoinError("\(name), read for \(at): \(error)"))
        }
        if let failure { return .failure(failure) }
        if positions.isEmpty { return .failure(JoinError("\(name), read for \(at), is empty: no header row")) }
        return .success(JoinedColumns(join: join, fileName: name, rowOfKey: rowOfKey, bytes: bytes, bounds: bounds))
    }
}

/// Why the other file of a join could not be used: the file being read is refused with it.
struct JoinError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
