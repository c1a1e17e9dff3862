import CKeyedHash
import Columnar
import Crypto
import Dispatch
import Foundation

/// Turns identifiers into 64-bit pseudonyms: the first 8 bytes of HMAC-SHA256 under the
/// partnership's key, with a domain byte so an NHS number, a match key and a local id never collide.
///
/// Reading a part of a source only interns each identifier (`IdentifierPool`); the keyed hash runs
/// once per distinct identifier of the part, on the worker that read it, as soon as the part is
/// read. Clear values live only in these in-memory pools and are dropped once pseudonymised.
public struct PersonKeyer: Sendable {
    public enum Domain: UInt8, Sendable { case nhs = 0x4E, matchKey = 0x4D, localID = 0x4C }

    private let key: LinkageKey

    public init(key: LinkageKey) { self.key = key }

    /// The pseudonym of one identifier, through swift-crypto's `HMAC` (for tests and small jobs;
    /// bulk work uses `PrecomputedHMAC`, which gives the same values).
    public func pseudonym(_ domain: Domain, _ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var tagged: [UInt8] = [domain.rawValue]
        tagged.append(contentsOf: bytes)
        var h = HMAC<SHA256>(key: key.key)
        tagged.withUnsafeBytes { h.update(data: $0) }
        return h.finalize().withUnsafeBytes { Self.leading64($0) }
    }

    /// The first 8 bytes of a MAC, big-endian; 0 is kept for "no identifier", so it becomes 1.
    static func leading64(_ raw: UnsafeRawBufferPointer) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<8 { v = (v << 8) | UInt64(raw[i]) }
        return v == 0 ? 1 : v
    }

    /// HMAC-SHA256 (RFC 2104) with the key's inner and outer pads absorbed once: each MAC is then
    /// two short updates on copies of the two hash states, made on the stack (CKeyedHash, over
    /// the SHA-256 of swift-crypto's BoringSSL; swift-crypto's `SHA256` values allocate a state
    /// object per copy, which cost more than the hashing).
    final class PrecomputedHMAC {
        private let pads = UnsafeMutablePointer<pp_hmac_sha256_pads>.allocate(capacity: 1)

        init(key: SymmetricKey) {
            key.withUnsafeBytes { k in
                pp_hmac_sha256_prepare(pads, k.baseAddress?.assumingMemoryBound(to: UInt8.self), k.count)
            }
        }

        deinit {
            UnsafeMutableRawPointer(pads).initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<pp_hmac_sha256_pads>.size)
            pads.deallocate()
        }

        func mac(_ tagged: UnsafeBufferPointer<UInt8>) -> UInt64 {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { out in
                pp_hmac_sha256(pads, tagged.baseAddress, tagged.count, out.baseAddress!)
                let v = PersonKeyer.leading64(UnsafeRawBufferPointer(out))
                out.initialize(repeating: 0)
                return v
            }
        }
    }

    /// A function from the pool's codes to pseudonyms (code 0 = no identifier = 0); the pool's
    /// clear values are then released. Runs on the calling thread: pools are pseudonymised by the
    /// worker that filled them, as soon as its part is read.
    /// - Complexity: one HMAC per distinct identifier of the pool.
    func pseudonymise(_ pool: IdentifierPool) -> PoolPseudonyms {
        let hmac = PrecomputedHMAC(key: key.key)
        var bytes = [UInt64](repeating: 0, count: pool.values.count + 1)
        for code in stride(from: 1, through: pool.values.count, by: 1) {
            bytes[code] = pool.values.withBytes(UInt32(code)) { hmac.mac($0) }
        }
        var tagged = [UInt8](repeating: Domain.matchKey.rawValue, count: 16)
        var short = [UInt64](repeating: 0, count: pool.shortMatchKeys.count)
        for (i, key) in pool.shortMatchKeys.enumerated() where i > 0 {
            key.withBytes { b in for j in 0..<b.count { tagged[j + 1] = b[j] } }
            short[i] = tagged.withUnsafeBufferPointer { hmac.mac(UnsafeBufferPointer(rebasing: $0[0...key.count])) }
        }
        var digits = [UInt8](repeating: 0, count: 11)
        digits[0] = Domain.nhs.rawValue
        var nhs = [UInt64](repeating: 0, count: pool.nhsNumbers.count)
        for (i, number) in pool.nhsNumbers.enumerated() where i > 0 {
            var v = number
            for k in stride(from: 10, through: 1, by: -1) { digits[k] = UInt8(48 + v % 10); v /= 10 }
            nhs[i] = digits.withUnsafeBufferPointer { hmac.mac($0) }
        }
        var encodings: [PersonEncoding] = [], windows: [UInt32] = []
        if pool.identities.count > 0 {
            let builder = EncodingBuilder(key: key.key)
            encodings = [PersonEncoding](repeating: PersonEncoding(), count: pool.identities.count + 1)
            for code in 1...pool.identities.count {
                encodings[code] = pool.identities.withBytes(UInt32(code)) { builder.encode($0, windows: &windows) }
            }
        }
        pool.release()
        return PoolPseudonyms(bytes: bytes, nhs: nhs, short: short, encodings: encodings, windows: windows)
    }
}

/// A pool's codes and their pseudonyms: byte identifiers by code, NHS numbers and short match
/// keys by their own codes (marked with the top bit and the next).
struct PoolPseudonyms: Sendable {
    let bytes: [UInt64]
    let nhs: [UInt64]
    var short: [UInt64] = [0]
    /// Each clear identity's encoding, by its code (index 0 unused; empty when none were kept).
    var encodings: [PersonEncoding] = []
    /// The encodings' months of birth, 13 keyed tags each (`PersonEncoding.window`).
    var windows: [UInt32] = []

    @inline(__always)
    func callAsFunction(_ code: UInt32) -> UInt64 {
        if code & IdentifierPool.nhsFlag != 0 { return nhs[Int(code & ~IdentifierPool.nhsFlag)] }
        if code & IdentifierPool.shortFlag != 0 { return short[Int(code & ~IdentifierPool.shortFlag)] }
        return bytes[Int(code)]
    }
}

/// The distinct identifiers one source met, each tagged with its domain: rows keep a 32-bit code.
/// NHS numbers are kept as numbers (one probe of a flat table, no byte comparison), and match keys
/// of up to 15 bytes (surnames of up to 8 letters) packed in two words.
final class IdentifierPool {
    static let nhsFlag: UInt32 = 0x8000_0000
    static let shortFlag: UInt32 = 0x4000_0000
    // @exclusivity(unchecked) below: one ingest task's state, never re-entered (docs/ARCHITECTURE.md, "Unsafe choices").
    @exclusivity(unchecked) private var shortCodes: ShortKeyTable
    /// Code (without the flag) to packed match key; index 0 unused.
    @exclusivity(unchecked) private(set) var shortMatchKeys = [ShortKeyTable.Key(low: 0, high: 0)]
    @exclusivity(unchecked) private(set) var values: ByteDictionary
    @exclusivity(unchecked) private var scratch: [UInt8] = []
    @exclusivity(unchecked) private var numberCodes: NumberCodes
    /// Code (without the flag) to NHS number; index 0 unused.
    @exclusivity(unchecked) private(set) var nhsNumbers: [UInt64] = [0]
    /// Rows' clear identities for probabilistic matching (`EncodingBuilder`), by code from 1.
    @exclusivity(unchecked) private(set) var identities = IdentityTable()

    /// Tables with room for about `capacity` identifiers of each kind to start with (they grow).
    init(capacity: Int = 1 << 12) {
        shortCodes = ShortKeyTable(capacity: capacity)
        values = ByteDictionary(capacity: capacity)
        numberCodes = NumberCodes(capacity: capacity)
    }

    /// Identifiers held: byte values, short match keys, NHS numbers and clear identities (a part
    /// whose rows give names but no other identifier still has encodings to make).
    var count: Int { values.count + shortMatchKeys.count - 1 + nhsNumbers.count - 1 + identities.count }

    /// Forgets every identifier (once pseudonymised): the clear values leave memory.
    func release() {
        values = ByteDictionary()
        shortCodes = ShortKeyTable(capacity: 0)
        shortMatchKeys = [ShortKeyTable.Key(low: 0, high: 0)]
        numberCodes = NumberCodes(capacity: 0)
        nhsNumbers = [0]
        identities = IdentityTable()
    }

    /// The codes of a batch of rows' clear identities, given to `store` with their rows.
    func internIdentities(_ batch: IdentityBatch, _ store: (_ row: Int, _ code: UInt32) -> Void) {
        identities.insert(batch, store)
        precondition(identities.count < Self.shortFlag, "more than 2^30 distinct identities in one source part")
    }

    /// The code of a valid NHS number.
    @inline(__always)
    func internNHS(_ v: UInt64) -> UInt32 {
        numberCodes.code(v) {
            nhsNumbers.append(v)
            return UInt32(nhsNumbers.count - 1)
        } | Self.nhsFlag
    }

    /// Room for about `n` distinct NHS numbers (a guess: the table still grows past it).
    func reserveNHS(_ n: Int) { numberCodes.reserve(n) }

    /// The code of a match key packed in two words (a longer one is interned with `intern`).
    @inline(__always)
    func internMatchKey(_ key: ShortKeyTable.Key) -> UInt32 {
        shortCodes.value(key) {
            shortMatchKeys.append(key)
            // A code keeps its two top bits for the domain flags.
            precondition(shortMatchKeys.count - 1 < Int(Self.shortFlag), "more than 2^30 distinct match keys in one source part")
            return UInt32(shortMatchKeys.count - 1) | Self.shortFlag
        }
    }

    @inline(__always)
    func intern(_ domain: PersonKeyer.Domain, _ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(domain.rawValue)
        scratch.append(contentsOf: bytes)
        let code = scratch.withUnsafeBufferPointer { values.insert($0).code }
        // A code keeps its two top bits for the domain flags.
        precondition(code < Self.shortFlag, "more than 2^30 distinct identifiers in one source part")
        return code
    }
}
