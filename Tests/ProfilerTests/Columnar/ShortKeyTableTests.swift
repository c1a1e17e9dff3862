import Columnar
import Foundation
import Testing

@Suite("Columnar: packed short keys")
struct ShortKeyTableTests {
    /// Every length from 1 to 15 packs to its bytes in order with the length on top, read back
    /// unchanged; the bytes around the value are never part of the key.
    @Test func packsEveryLengthExactly() {
        let text = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        for length in 1...15 {
            for offset in [0, 3] {
                text.withUnsafeBufferPointer { all in
                    let b = UnsafeBufferPointer(rebasing: all[offset..<offset + length])
                    let key = ShortKeyTable.Key(b)
                    #expect(key?.count == length)
                    var low: UInt64 = 0, high = UInt64(length) << 56
                    for (i, c) in b.enumerated() {
                        if i < 8 { low |= UInt64(c) << (8 * UInt64(i)) } else { high |= UInt64(c) << (8 * UInt64(i - 8)) }
                    }
                    #expect(key == ShortKeyTable.Key(low: low, high: high), "length \(length) at \(offset)")
                    #expect(key?.withBytes { Array($0) } == Array(b))
                }
            }
        }
        #expect(ShortKeyTable.Key(UnsafeBufferPointer(start: nil, count: 0)) == nil)
        let long = Array(repeating: UInt8(65), count: 16)
        #expect(long.withUnsafeBufferPointer { ShortKeyTable.Key($0) } == nil)
    }

    /// Keys that differ in any one byte (LSOA codes differ in their last digits) are told apart
    /// through growth, and each keeps its value.
    @Test func findsEveryKeyAfterGrowing() {
        var table = ShortKeyTable(capacity: 4)
        var keys: [[UInt8]] = []
        for i in 0..<20_000 {
            keys.append(Array("E01\(String(format: "%06d", 28_000 + i))".utf8))
        }
        for length in 1...15 { keys.append(Array(repeating: UInt8(90), count: length)) }
        for (i, k) in keys.enumerated() {
            let v = k.withUnsafeBufferPointer { table.value(ShortKeyTable.Key($0)!) { UInt32(i + 1) } }
            #expect(v == UInt32(i + 1))
        }
        #expect(table.count == keys.count)
        for (i, k) in keys.enumerated() {
            #expect(k.withUnsafeBufferPointer { table.find(ShortKeyTable.Key($0)!) } == UInt32(i + 1))
            // Asked again, the value is found, not made.
            #expect(k.withUnsafeBufferPointer { table.value(ShortKeyTable.Key($0)!) { 0 } } == UInt32(i + 1))
        }
        let absent = Array("E01999999".utf8)
        #expect(absent.withUnsafeBufferPointer { table.find(ShortKeyTable.Key($0)!) } == nil)
        table.set(keys[0].withUnsafeBufferPointer { ShortKeyTable.Key($0)! }, 7)
        #expect(keys[0].withUnsafeBufferPointer { table.find(ShortKeyTable.Key($0)!) } == 7)
        #expect(table.count == keys.count)
    }
}
