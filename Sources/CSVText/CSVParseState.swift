import CCSV
import CLineCut

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The record being assembled from libcsv's callbacks, or cut from a line without quotes, handed
/// to the consumer when it ends.
final class CSVParseState {
    // @exclusivity(unchecked) below: one ingest task's state, never re-entered (docs/ARCHITECTURE.md, "Unsafe choices").
    @exclusivity(unchecked) var bytes: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) var capacity: Int
    @exclusivity(unchecked) var used = 0
    /// Start and end of each field (two per field).
    @exclusivity(unchecked) var bounds: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) var boundsCapacity: Int
    @exclusivity(unchecked) var fieldCount = 0
    /// Physical line the parser is on, and the line the current record started on.
    @exclusivity(unchecked) var line = 1
    @exclusivity(unchecked) var recordLine = 1
    @exclusivity(unchecked) var recordCount = 0
    /// Rows ended, blank ones included (for the bound on a record's length).
    @exclusivity(unchecked) var recordEnds = 0
    @exclusivity(unchecked) var stopped = false
    var error: (any Error)?
    let consumer: (CSVRecord) throws -> Bool

    init(consumer: @escaping (CSVRecord) throws -> Bool, firstLine: Int) {
        self.consumer = consumer
        line = firstLine
        recordLine = firstLine
        capacity = 1 << 16
        bytes = .allocate(capacity: capacity)
        boundsCapacity = 512
        bounds = .allocate(capacity: boundsCapacity)
    }

    deinit {
        bytes.deallocate()
        bounds.deallocate()
    }

    @inline(__always)
    private func reserveField() {
        if 2 * fieldCount + 2 > boundsCapacity {
            let grown = UnsafeMutablePointer<Int>.allocate(capacity: boundsCapacity * 2)
            grown.update(from: bounds, count: 2 * fieldCount)
            bounds.deallocate()
            bounds = grown
            boundsCapacity *= 2
        }
    }

    @inline(__always)
    func appendField(_ p: UnsafeRawPointer?, _ n: Int) {
        if used + n > capacity {
            var c = capacity
            while used + n > c { c *= 2 }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
            grown.update(from: bytes, count: used)
            bytes.deallocate()
            bytes = grown
            capacity = c
        }
        reserveField()
        bounds[2 * fieldCount] = used
        if let p, n > 0 {
            let src = p.assumingMemoryBound(to: UInt8.self)
            (bytes + used).update(from: src, count: n)
            // Line feeds inside a quoted field move the line count on (memchr: most fields have none).
            var from = UnsafeRawPointer(src)
            var left = n
            while left > 0, let hit = memchr(from, 0x0A, left) {
                line += 1
                let next = UnsafeRawPointer(hit) + 1
                left -= next - from
                from = next
            }
            used += n
        }
        bounds[2 * fieldCount + 1] = used
        fieldCount += 1
    }

    @inline(__always)
    func endRecord(_ terminator: Int32) {
        let fields = fieldCount
        if fields > 0 {
            deliver(
                CSVRecord(
                    bytes: UnsafeBufferPointer(start: bytes, count: used),
                    bounds: UnsafeBufferPointer(start: bounds, count: 2 * fields), line: recordLine, index: recordCount + 1))
        }
        used = 0
        fieldCount = 0
        recordEnds &+= 1
        if terminator == 0x0A { line += 1 }
        recordLine = line
    }

    @inline(__always)
    private func deliver(_ record: CSVRecord) {
        guard !stopped && error == nil else { return }
        recordCount += 1
        do {
            if try !consumer(record) { stopped = true }
        } catch {
            self.error = error
            stopped = true
        }
    }

    /// Finds the line at `p` (within `available` bytes) and, if no quote or stray carriage return
    /// keeps it from libcsv, cuts it at its commas into `bounds` (CLineCut: as libcsv cuts such a
    /// line, spaces and tabs around each field dropped).
    @inline(__always)
    func cut(_ p: UnsafePointer<UInt8>, _ available: Int) -> pp_line {
        while true {
            let r = pp_cut_line(p, available, bounds, boundsCapacity / 2)
            guard r.status == PP_LINE_FULL else { return r }
            let grown = UnsafeMutablePointer<Int>.allocate(capacity: boundsCapacity * 2)
            bounds.deallocate()
            bounds = grown
            boundsCapacity *= 2
        }
    }

    /// Hands on a line `cut` has cut; a line of nothing but spaces is no record, as in libcsv.
    @inline(__always)
    func deliverCut(_ p: UnsafePointer<UInt8>, _ cut: pp_line) {
        let fields = cut.fields
        if fields > 1 || bounds[0] != bounds[1] {
            deliver(
                CSVRecord(
                    bytes: UnsafeBufferPointer(start: p, count: cut.length),
                    bounds: UnsafeBufferPointer(start: bounds, count: 2 * fields), line: recordLine, index: recordCount + 1,
                    knownASCII: cut.ascii != 0))
        }
        line += 1
        recordLine = line
    }
}

// The parse state outlives the parse, so the callbacks reach it without retaining it (no
// reference counting per field).
func csvFieldCallback(_ field: UnsafeMutableRawPointer?, _ length: Int, _ data: UnsafeMutableRawPointer?) {
    Unmanaged<CSVParseState>.fromOpaque(data!)._withUnsafeGuaranteedRef { $0.appendField(field, length) }
}

func csvRecordCallback(_ terminator: Int32, _ data: UnsafeMutableRawPointer?) {
    Unmanaged<CSVParseState>.fromOpaque(data!)._withUnsafeGuaranteedRef { $0.endRecord(terminator) }
}
