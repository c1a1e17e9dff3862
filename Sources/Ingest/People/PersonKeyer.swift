import Columnar
import Crypto
import Dispatch
import Foundation

/// Turns identifiers into 64-bit pseudonyms: the first 8 bytes of HMAC-SHA256 under the
/// partnership's key, with a domain byte so an NHS number, a match key and a local id never collide.
///
/// Reading a source only interns each identifier (`IdentifierPool`); the keyed hash runs once per
/// distinct identifier of the whole drop, in parallel, after every source is read. Clear values live
/// only in these in-memory pools and are dropped once pseudonymised.
public struct PersonKeyer: Sendable {
    public enum Domain: UInt8, Sendable { case nhs = 0x4E, matchKey = 0x4D, localID = 0x4C }

    private let key: LinkageKey

    public init(key: LinkageKey) { self.key = key }

    /// The pseudonym of one identifier (for tests and small jobs).
    public func pseudonym(_ domain: Domain, _ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var tagged: [UInt8] = [domain.rawValue]
        tagged.append(contentsOf: bytes)
        return tagged.withUnsafeBufferPointer { Self.mac(HMAC<SHA256>(key: key.key), $0) }
    }

    static func mac(_ base: HMAC<SHA256>, _ tagged: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = base
        h.update(data: UnsafeRawBufferPointer(tagged))
        var v: UInt64 = 0
        h.finalize().withUnsafeBytes { raw in
            for i in 0..<8 { v = (v << 8) | UInt64(raw[i]) }
        }
        return v == 0 ? 1 : v
    }

    /// For each pool, its codes' pseudonyms (index 0 = no identifier = 0).
    /// - Complexity: one HMAC per distinct identifier across all pools, split over `threads`.
    func pseudonymise(_ pools: [IdentifierPool], threads: Int) -> [[UInt64]] {
        var global = ByteDictionary(capacity: pools.reduce(0) { $0 + $1.count } + 16)
        var toGlobal: [[UInt32]] = []
        for pool in pools {
            var map = [UInt32](repeating: 0, count: pool.count + 1)
            for code in 1...max(1, pool.count) where pool.count > 0 {
                map[code] = pool.values.withBytes(UInt32(code)) { global.insert($0).code }
            }
            toGlobal.append(map)
        }
        let n = global.count
        let macs = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: n + 1)
        defer { macs.deallocate() }
        macs[0] = 0
        let base = HMAC<SHA256>(key: key.key)
        let workers = max(1, min(threads, n / 1024 + 1))
        let out = SendableBuffer(macs)
        let frozen = global
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var code = 1 + w
            while code <= n {
                out.buffer[code] = frozen.withBytes(UInt32(code)) { Self.mac(base, $0) }
                code += workers
            }
        }
        return toGlobal.map { map in map.map { macs[Int($0)] } }
    }
}

/// A pointer shared by worker threads that each write their own slots.
private struct SendableBuffer: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<UInt64>
    init(_ b: UnsafeMutableBufferPointer<UInt64>) { buffer = b }
}

/// The distinct identifiers one source met, each tagged with its domain: rows keep a 32-bit code.
final class IdentifierPool {
    @exclusivity(unchecked) private(set) var values = ByteDictionary(capacity: 1 << 12)
    @exclusivity(unchecked) private var scratch: [UInt8] = []

    var count: Int { values.count }

    @inline(__always)
    func intern(_ domain: PersonKeyer.Domain, _ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(domain.rawValue)
        scratch.append(contentsOf: bytes)
        return scratch.withUnsafeBufferPointer { values.insert($0).code }
    }
}
