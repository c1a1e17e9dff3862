import Foundation

/// `parallelMap`'s results, each written by the worker that computed it (under a lock, so
/// unchecked Sendable is sound), read once every worker has finished.
final class Slots<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: T) { lock.lock(); slots[i] = r; lock.unlock() }
    func all() -> [T] { lock.lock(); defer { lock.unlock() }; return slots.map { $0! } }
}

/// The next piece of work for whichever worker asks: 0, 1, 2 ... up to a limit (under a lock).
public final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    public init() {}
    public func take(below limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// `body(i)` for every i in 0..<count, on up to `threads` threads (a free thread takes the next i),
/// on the calling thread alone when `threads` or `count` is 1; returns when every call has. For
/// loops whose iterations write disjoint parts of one buffer: each caller says why they are
/// disjoint where it writes.
public func parallelFor(_ count: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
    guard threads > 1 && count > 1 else {
        for i in 0..<count { body(i) }
        return
    }
    let next = Counter()
    DispatchQueue.concurrentPerform(iterations: min(threads, count)) { _ in
        while let i = next.take(below: count) { body(i) }
    }
}

/// `transform` of each item, on up to `threads` threads (a free thread takes the next item, so
/// uneven items balance), the results in the items' order.
public func parallelMap<T: Sendable, R>(_ items: [T], threads: Int, _ transform: @Sendable (T) -> R) -> [R] {
    guard threads > 1 && items.count > 1 else { return items.map(transform) }
    let results = Slots<R>(count: items.count)
    let next = Counter()
    DispatchQueue.concurrentPerform(iterations: min(threads, items.count)) { _ in
        while let i = next.take(below: items.count) { results.set(i, transform(items[i])) }
    }
    return results.all()
}
