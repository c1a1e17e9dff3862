/// A column under construction: values of one fixed-width type, each written in place at its row.
/// A row is kept by moving the ingestor's row count on; a refused row is simply written over by
/// the next.
///
/// The values live in the storage of the Swift array that becomes the finished column, so
/// finishing hands the array over without copying a byte (`take`). The array is made with room
/// for every row expected (pages not yet written cost no memory); if more rows come, a larger one
/// is made and the rows written so far are copied across.
struct RowBuffer {
    private(set) var base: UnsafeMutableRawPointer?
    /// Rows that fit.
    private(set) var capacity = 0
    let width: Int
    /// The typed array `base` points into (its count is `capacity`), type-erased.
    private var storage: Any?
    /// Makes an array of `rows` values, the first `kept` copied from the given bytes.
    private let make: (_ rows: Int, _ from: UnsafeRawPointer?, _ kept: Int) -> (Any, UnsafeMutableRawPointer?)

    /// A buffer of values of type `T` (a plain fixed-width type: integers, floating point).
    init<T: BitwiseCopyable>(of: T.Type) {
        width = MemoryLayout<T>.stride
        make = { rows, from, kept in
            var base: UnsafeMutableRawPointer?
            let array = [T](unsafeUninitializedCapacity: rows) { buffer, count in
                base = UnsafeMutableRawPointer(buffer.baseAddress)
                if let from, kept > 0 { base!.copyMemory(from: from, byteCount: kept * MemoryLayout<T>.stride) }
                // The values past the rows written are never read.
                count = rows
            }
            return (array, base)
        }
    }

    /// Room for `rows` rows; the first `kept` values already written stay.
    mutating func reserve(_ rows: Int, keeping kept: Int) {
        guard rows > capacity else { return }
        precondition(kept <= capacity)
        let (array, grown) = make(rows, base.map { UnsafeRawPointer($0) }, kept)
        storage = array
        base = grown
        capacity = rows
    }

    /// Where the rows are written: a plain pointer and width, for the row loop (copying a
    /// `RowBuffer` itself would retain its array).
    var slots: RowSlots { RowSlots(base: base, width: width) }

    /// The first `rows` values as an array, without a copy; the buffer is then empty.
    mutating func take<T>(_ rows: Int, as: T.Type) -> [T] {
        guard storage != nil else { return [] }
        var array = storage as! [T]
        // The array must be the only reference to its storage, or shortening it would copy it.
        storage = nil
        release()
        precondition(rows <= array.count)
        array.removeLast(array.count - rows)
        return array
    }

    /// Gives the memory back.
    mutating func release() {
        storage = nil
        base = nil
        capacity = 0
    }
}

/// The rows of a `RowBuffer`, read and written in place; valid until the buffer is grown, taken or
/// released (its owner refreshes it then).
struct RowSlots {
    private(set) var base: UnsafeMutableRawPointer?
    let width: Int

    @inline(__always)
    func store<T>(_ value: T, at row: Int) {
        base.unsafelyUnwrapped.storeBytes(of: value, toByteOffset: row &* width, as: T.self)
    }

    @inline(__always)
    func load<T>(_ row: Int, as: T.Type) -> T {
        base.unsafelyUnwrapped.load(fromByteOffset: row &* width, as: T.self)
    }
}
