#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A column under construction: values of one fixed width, each written in place at its row. A
/// row is kept by moving the ingestor's row count on; a refused row is simply written over by the
/// next. Grown with `realloc` (large blocks are their own mappings, so growing them moves no bytes).
struct RowBuffer {
    private(set) var base: UnsafeMutableRawPointer?
    /// Rows that fit.
    private(set) var capacity = 0
    let width: Int

    init(width: Int) { self.width = width }

    /// Room for `rows` rows; values already written stay.
    mutating func reserve(_ rows: Int) {
        guard rows > capacity else { return }
        // realloc can refuse where a new block and a copy succeed (mremap refused, as under valgrind).
        guard let grown = realloc(base, rows * width) ?? malloc(rows * width).map({ fresh in
            if let base { memcpy(fresh, base, capacity * width); free(base) }
            return fresh
        }) else {
            fatalError("out of memory growing a column to \(rows) rows")
        }
        base = grown
        capacity = rows
    }

    @inline(__always)
    func store<T>(_ value: T, at row: Int) {
        base.unsafelyUnwrapped.storeBytes(of: value, toByteOffset: row &* width, as: T.self)
    }

    @inline(__always)
    func load<T>(_ row: Int, as: T.Type) -> T {
        base.unsafelyUnwrapped.load(fromByteOffset: row &* width, as: T.self)
    }

    /// The first `rows` values as an array.
    func array<T>(_ rows: Int, as: T.Type) -> [T] {
        precondition(MemoryLayout<T>.stride == width && rows <= capacity)
        return [T](unsafeUninitializedCapacity: rows) { buffer, count in
            if rows > 0 { memcpy(buffer.baseAddress!, base!, rows * width) }
            count = rows
        }
    }

    /// Gives the memory back.
    mutating func release() {
        free(base)
        base = nil
        capacity = 0
    }
}
