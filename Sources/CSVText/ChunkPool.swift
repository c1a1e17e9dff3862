import Foundation

/// Chunk buffers kept for the next read: a drop of a thousand small files would otherwise map a
/// fresh megabyte for each (malloc serves blocks that large with their own mappings) and fault its
/// pages in again every time. Holds a few buffers at most (one per reading thread, in practice).
final class ChunkPool: @unchecked Sendable {
    static let shared = ChunkPool()
    private let lock = NSLock()
    private var free: [UnsafeMutableRawBufferPointer] = []
    private let kept = 16

    /// A buffer of `bytes` bytes (uninitialised): a kept one of that size, or a new one.
    func take(_ bytes: Int) -> UnsafeMutableRawBufferPointer {
        lock.lock()
        if let i = free.firstIndex(where: { $0.count == bytes }) {
            let b = free.remove(at: i)
            lock.unlock()
            return b
        }
        lock.unlock()
        return UnsafeMutableRawBufferPointer.allocate(byteCount: bytes, alignment: 8)
    }

    /// Returns a buffer `take` gave: kept for the next read, or freed when enough are kept.
    func give(_ buffer: UnsafeMutableRawBufferPointer) {
        lock.lock()
        if free.count < kept {
            free.append(buffer)
            lock.unlock()
            return
        }
        lock.unlock()
        buffer.deallocate()
    }
}
