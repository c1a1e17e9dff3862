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

    /// For each pool, a function from its codes to pseudonyms (code 0 = no identifier = 0).
    /// - Complexity: one HMAC per distinct identifier across all pools, split over `threads`.
    func pseudonymise(_ pools: [IdentifierPool], threads: Int) -> [PoolPseudonyms] {
        // Distinct NHS numbers (held as numbers) and other identifiers (bytes) across the drop.
        var numbers = KeyMap(capacity: pools.reduce(0) { $0 + $1.nhsNumbers.count } + 16)
        var numberList: [UInt64] = []
        var global = ByteDictionary(capacity: pools.reduce(0) { $0 + $1.count } + 16)
        var toGlobal: [(bytes: [UInt32], nhs: [UInt32])] = []
        for pool in pools {
            var bytes = [UInt32](repeating: 0, count: pool.count + 1)
            for code in stride(from: 1, through: pool.count, by: 1) {
                bytes[code] = pool.values.withBytes(UInt32(code)) { global.insert($0).code }
            }
            var nhs = [UInt32](repeating: 0, count: pool.nhsNumbers.count)
            for (i, n) in pool.nhsNumbers.enumerated() where i > 0 {
                if let g = numbers.get(n + 1) { nhs[i] = UInt32(g) } else {
                    numberList.append(n)
                    numbers.set(n + 1, UInt64(numberList.count))
                    nhs[i] = UInt32(numberList.count)
                }
            }
            toGlobal.append((bytes, nhs))
            // The pool's clear values now live once, in the drop-wide table.
            pool.release()
        }
        let n = global.count, m = numberList.count
        let byteMacs = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: n + 1)
        let numberMacs = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: m + 1)
        defer { byteMacs.deallocate(); numberMacs.deallocate() }
        byteMacs[0] = 0
        numberMacs[0] = 0
        let base = HMAC<SHA256>(key: key.key)
        let workers = max(1, min(threads, (n + m) / 1024 + 1))
        let outBytes = SendableBuffer(byteMacs), outNumbers = SendableBuffer(numberMacs)
        let frozen = global, frozenNumbers = numberList
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var code = 1 + w
            while code <= n {
                outBytes.buffer[code] = frozen.withBytes(UInt32(code)) { Self.mac(base, $0) }
                code += workers
            }
            var digits = [UInt8](repeating: 0, count: 11)
            digits[0] = Domain.nhs.rawValue
            var i = w
            while i < m {
                var v = frozenNumbers[i]
                for k in stride(from: 10, through: 1, by: -1) { digits[k] = UInt8(48 + v % 10); v /= 10 }
                outNumbers.buffer[i + 1] = digits.withUnsafeBufferPointer { Self.mac(base, $0) }
                i += workers
            }
        }
        return toGlobal.map { PoolPseudonyms(bytes: $0.bytes.map { byteMacs[Int($0)] }, nhs: $0.nhs.map { numberMacs[Int($0)] }) }
    }
}

/// A pool's codes and their pseudonyms: byte identifiers by code, NHS numbers by their own code
/// (marked with the top bit).
struct PoolPseudonyms {
    let bytes: [UInt64]
    let nhs: [UInt64]

    @inline(__always)
    func callAsFunction(_ code: UInt32) -> UInt64 {
        code & IdentifierPool.nhsFlag != 0 ? nhs[Int(code & ~IdentifierPool.nhsFlag)] : bytes[Int(code)]
    }
}

/// A pointer shared by worker threads that each write their own slots.
private struct SendableBuffer: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<UInt64>
    init(_ b: UnsafeMutableBufferPointer<UInt64>) { buffer = b }
}

/// The distinct identifiers one source met, each tagged with its domain: rows keep a 32-bit code.
/// NHS numbers are kept as numbers (one probe of a flat table, no byte comparison).
final class IdentifierPool {
    static let nhsFlag: UInt32 = 0x8000_0000
    @exclusivity(unchecked) private(set) var values = ByteDictionary(capacity: 1 << 12)
    @exclusivity(unchecked) private var scratch: [UInt8] = []
    @exclusivity(unchecked) private var numberCodes = KeyMap(capacity: 1 << 12)
    /// Code (without the flag) to NHS number; index 0 unused.
    @exclusivity(unchecked) private(set) var nhsNumbers: [UInt64] = [0]

    var count: Int { values.count }

    /// Forgets every identifier (once pseudonymised): the clear values leave memory.
    func release() {
        values = ByteDictionary()
        numberCodes = KeyMap(capacity: 16)
        nhsNumbers = [0]
    }

    /// The code of a valid NHS number given as ten ASCII digits.
    @inline(__always)
    func internNHS(_ digits: [UInt8]) -> UInt32 {
        var v: UInt64 = 0
        for d in digits { v = v * 10 + UInt64(d - 48) }
        if let code = numberCodes.get(v + 1) { return UInt32(code) | Self.nhsFlag }
        nhsNumbers.append(v)
        let code = UInt32(nhsNumbers.count - 1)
        numberCodes.set(v + 1, UInt64(code))
        return code | Self.nhsFlag
    }

    @inline(__always)
    func intern(_ domain: PersonKeyer.Domain, _ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(domain.rawValue)
        scratch.append(contentsOf: bytes)
        return scratch.withUnsafeBufferPointer { values.insert($0).code }
    }
}
