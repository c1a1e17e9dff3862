import CZlib
import Foundation

/// Writes one CSV file (LF line ends, RFC 4180 quoting), plain or gzip by the file name, through a
/// byte buffer flushed in large blocks. Gzip output carries no time stamp, so it is reproducible.
/// Counts the line feeds it writes (each row's, and any inside a quoted field), so a row's
/// physical line is known (`line`), as a CSV reader counts it.
final class CSVFileWriter {
    private var buffer: [UInt8] = []
    private var fieldsInRow = 0
    private let path: String
    private var plain: FileHandle?
    private var gz: gzFile?
    private(set) var rows = 0
    private(set) var bytesWritten = 0
    private var lineFeeds = 0
    /// The physical line (1-based, the header's is 1) on which the row being written starts.
    private(set) var line = 1

    init(path: String) throws {
        self.path = path
        if path.hasSuffix(".gz") {
            guard let g = gzopen(path, "wb6") else { throw SampleDropError.cannotWrite(path) }
            gz = g
        } else {
            guard FileManager.default.createFile(atPath: path, contents: nil),
                let h = FileHandle(forWritingAtPath: path)
            else { throw SampleDropError.cannotWrite(path) }
            plain = h
        }
        buffer.reserveCapacity(1 << 20)
    }

    func header(_ names: [String]) {
        for n in names { field(n) }
        endRow()
        rows = 0
    }

    private func separator() {
        if fieldsInRow > 0 { buffer.append(0x2C) }
        fieldsInRow += 1
    }

    /// A text field, quoted when it holds a comma, quote, CR or LF (a line feed inside it starts a
    /// new physical line: counted).
    func field(_ s: String) {
        separator()
        var needsQuotes = false
        for b in s.utf8 where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D {
            needsQuotes = true
            break
        }
        if !needsQuotes {
            buffer.append(contentsOf: s.utf8)
            return
        }
        buffer.append(0x22)
        for b in s.utf8 {
            buffer.append(b)
            if b == 0x22 { buffer.append(0x22) }
            if b == 0x0A { lineFeeds += 1 }
        }
        buffer.append(0x22)
    }

    func empty() { separator() }

    func field(_ n: Int) {
        separator()
        appendDigits(n)
    }

    /// `n` with at least `width` digits, zero-padded.
    func appendDigits(_ n: Int, width: Int = 1) {
        var v = n
        if v < 0 {
            buffer.append(0x2D)
            v = -v
        }
        var tmp:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &tmp) { digits in
            repeat {
                digits[count] = UInt8(0x30 + v % 10)
                v /= 10
                count += 1
            } while v > 0
            while count < width {
                digits[count] = 0x30
                count += 1
            }
            for i in stride(from: count - 1, through: 0, by: -1) { buffer.append(digits[i]) }
        }
    }

    /// Raw text and bytes, never a line feed (not counted in `line`).
    func appendRaw(_ s: String) { buffer.append(contentsOf: s.utf8) }
    func appendByte(_ b: UInt8) { buffer.append(b) }

    /// Starts a raw field that the caller fills with `appendDigits` / `appendRaw` (never needing quotes).
    func beginRawField() { separator() }

    func endRow() {
        buffer.append(0x0A)
        fieldsInRow = 0
        rows += 1
        lineFeeds += 1
        line = lineFeeds + 1
        if buffer.count >= 1 << 20 { flush() }
    }

    private func flush() {
        guard !buffer.isEmpty else { return }
        bytesWritten += buffer.count
        if let gz {
            buffer.withUnsafeBytes { _ = gzwrite(gz, $0.baseAddress, UInt32($0.count)) }
        } else {
            plain?.write(Data(buffer))
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        flush()
        if let gz {
            guard gzclose(gz) == Z_OK else { throw SampleDropError.cannotWrite(path) }
            self.gz = nil
        }
        try plain?.close()
        plain = nil
    }
}

public enum SampleDropError: Error, CustomStringConvertible, Equatable {
    case cannotWrite(String)
    case invalidOption(String)

    public var description: String {
        switch self {
        case .cannotWrite(let path): return "cannot write \(path)"
        case .invalidOption(let message): return message
        }
    }
}
