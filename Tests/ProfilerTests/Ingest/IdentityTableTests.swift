import Testing

@testable import Ingest

/// The table rows' clear identities are interned into: codes in first-seen order, one per distinct
/// identity, the same whether given one by one or in batches, through the table's growth.
@Suite("Ingest: identity table")
struct IdentityTableTests {
    /// 50,000 identities of the shape ingest builds (date of birth, window, sex, names, postcode),
    /// some differing from another in one byte only.
    private static let identities: [[UInt8]] = (0..<50_000).map { i in
        var bytes: [UInt8] = withUnsafeBytes(of: Int32(i % 9_000)) { Array($0) } + [0, 0, 0, 0, UInt8(i % 3)]
        bytes += Array("SURNAME\(i / 7)".utf8) + [0x1F] + Array("FORENAME\(i % 7)".utf8) + [0x1F]
        if i % 2 == 0 { bytes += Array("WR\(i % 97)AB".utf8) }
        return bytes
    }

    @Test func codesAreDenseInFirstSeenOrderAndStable() {
        var table = IdentityTable()
        var codes: [UInt32] = []
        for bytes in Self.identities { codes.append(bytes.withUnsafeBufferPointer { table.insert($0) }) }
        #expect(codes == (1...UInt32(Self.identities.count)).map { $0 })
        #expect(table.count == Self.identities.count)
        // Given again (after the table grew many times), each identity has its own code back.
        for (k, bytes) in Self.identities.enumerated().reversed() {
            #expect(bytes.withUnsafeBufferPointer { table.insert($0) } == UInt32(k + 1))
        }
        #expect(table.count == Self.identities.count)
        for k in [0, 1, 777, 49_999] {
            #expect(table.withBytes(UInt32(k + 1)) { Array($0) } == Self.identities[k])
        }
        // One byte changed is another identity.
        var changed = Self.identities[42]
        changed[changed.count - 2] ^= 1
        #expect(changed.withUnsafeBufferPointer { table.insert($0) } == UInt32(Self.identities.count + 1))
    }

    @Test func batchesGiveTheCodesOneByOneWould() {
        var single = IdentityTable(), batched = IdentityTable()
        // Each identity twice, the second time far from the first, with rows in order.
        let rows = Self.identities + Self.identities.prefix(10_000)
        let expected = rows.map { bytes in bytes.withUnsafeBufferPointer { single.insert($0) } }
        var got = [UInt32](repeating: 0, count: rows.count)
        var batch = IdentityBatch()
        for (row, bytes) in rows.enumerated() {
            bytes.withUnsafeBufferPointer { batch.append($0, row: row) }
            if batch.count == 256 || row == rows.count - 1 {
                batched.insert(batch) { row, code in got[row] = code }
                batch.removeAll()
            }
        }
        #expect(got == expected)
        #expect(batched.count == single.count)
        #expect(IdentityTable.hash(UnsafeBufferPointer(start: nil, count: 0)) != (0, 0))
    }
}
