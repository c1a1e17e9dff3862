import Foundation

/// Results written by worker threads, each to its own slot, read once every worker has finished
/// (ingest, linking and the profiles' parallel scans).
public final class Slots<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()
    public init(count: Int) { slots = Array(repeating: nil, count: count) }
    public func set(_ i: Int, _ r: T) { lock.lock(); slots[i] = r; lock.unlock() }
    public func all() -> [T] { lock.lock(); defer { lock.unlock() }; return slots.map { $0! } }
}

/// The next piece of work for whichever worker asks: 0, 1, 2 ... up to a limit.
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
