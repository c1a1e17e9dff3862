import Columnar
import Crypto

/// Turns identifiers into 64-bit pseudonyms: the first 8 bytes of HMAC-SHA256 under the
/// partnership's key, with a domain byte so an NHS number, a match key and a local id never collide.
/// Each distinct identifier is hashed once per file (a cache keyed by its bytes, in memory only).
public struct PersonKeyer {
    public enum Domain: UInt8 { case nhs = 0x4E, matchKey = 0x4D, localID = 0x4C }

    private let base: HMAC<SHA256>
    private var seen = ByteDictionary(capacity: 1 << 12)
    private var hashes: [UInt64] = [0]
    private var scratch: [UInt8] = []

    public init(key: LinkageKey) {
        base = HMAC<SHA256>(key: key.key)
    }

    /// The pseudonym of `bytes` in `domain`; never 0.
    public mutating func pseudonym(_ domain: Domain, _ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(domain.rawValue)
        scratch.append(contentsOf: bytes)
        return scratch.withUnsafeBufferPointer { tagged in
            let (code, isNew) = seen.insert(tagged)
            if !isNew { return hashes[Int(code)] }
            var h = base
            h.update(data: UnsafeRawBufferPointer(tagged))
            let mac = h.finalize()
            var v: UInt64 = 0
            mac.withUnsafeBytes { raw in
                for i in 0..<8 { v = (v << 8) | UInt64(raw[i]) }
            }
            if v == 0 { v = 1 }
            hashes.append(v)
            return v
        }
    }
}
