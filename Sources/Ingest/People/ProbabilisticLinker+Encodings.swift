import Columnar

extension ProbabilisticLinker {
    /// Every pool's encodings, each distinct one once (index 0 unused): a record given twice,
    /// or one identity in several parts, is one encoding.
    struct GlobalEncodings {
        var all = [PersonEncoding()]
        /// Months of birth, 13 tags per encoding that has them (`PersonEncoding.window`).
        var windows: [UInt32] = []
        /// Per pool, each code's global encoding.
        var ofPool: [[UInt32]]
    }

    /// The distinct encodings of every pool, numbered in the order of their fingerprints (a
    /// 64-bit hash of everything an encoding holds), so that their numbers (and all that follows
    /// from them: members, provisional people, ties) do not depend on how files were cut into
    /// parts or in which order parts were read. Encodings with one fingerprint and other contents
    /// (never seen, but possible) are kept apart, in the order they were first read.
    /// On `threads` cores: codes are laid out and sorted by fingerprint, and runs of fingerprints
    /// are numbered apart, then one after another.
    static func globalEncodings(_ roles: [PersonLinker.RoleRows], threads: Int) -> GlobalEncodings {
        let poolCount = (roles.map(\.pool).max() ?? -1) + 1
        var pseudonyms = [PoolPseudonyms?](repeating: nil, count: poolCount)
        for r in roles where pseudonyms[r.pool] == nil && r.pseudonyms.encodings.count > 1 { pseudonyms[r.pool] = r.pseudonyms }
        let encodingsOf = pseudonyms.map { $0?.encodings ?? [] }, windowsOf = pseudonyms.map { $0?.windows ?? [] }
        // Each pool's codes in pieces of 65,536, laid out by fingerprint on all cores, then sorted.
        var pieces: [(pool: Int, codes: Range<Int>)] = []
        for (p, encodings) in encodingsOf.enumerated() {
            for start in stride(from: 1, to: encodings.count, by: 1 << 16) {
                pieces.append((p, start..<min(encodings.count, start + 1 << 16)))
            }
        }
        let pieceList = pieces
        var (sorted, ranges) = KeyTarget.laidOutByTopByte(pieces: pieceList.count, threads: threads) { i, emit in
            let (p, codes) = pieceList[i]
            encodingsOf[p].withUnsafeBufferPointer { encodings in
                for c in codes { emit(KeyTarget(key: encodings[c].fingerprint, target: UInt64(p) << 32 | UInt64(c))) }
            }
        }
        ranges = KeyTarget.sortByTopByteRanges(&sorted, ranges: ranges, threads: threads)
        // Each pool's codes at an offset in one flat map, split by pool at the end.
        var offset = [Int](repeating: 0, count: poolCount + 1)
        for p in 0..<poolCount { offset[p + 1] = offset[p] + encodingsOf[p].count }
        let offsets = offset
        var flat = [UInt32](repeating: 0, count: offset[poolCount])
        let runs = balancedRuns(ranges, threads: threads)
        precondition(sorted.count < Int(UInt32.max >> 1), "more than 2^31 identities")
        // An encoding is numbered by its first entry's place in the sorted entries, plus one: the
        // numbers keep the fingerprints' order whatever the runs. First each run numbers its
        // entries (the flat map, with the top bit on the entry whose encoding is written there);
        // then each piece of a pool writes its encodings at their numbers, read in code order.
        var windows: [UInt32] = []
        let all = [PersonEncoding](unsafeUninitializedCapacity: sorted.count + 1) { all, initialized in
            all.initializeElement(at: 0, to: PersonEncoding())
            sorted.withUnsafeMutableBufferPointer { sorted in
                flat.withUnsafeMutableBufferPointer { flat in
                    // Unchecked: a run sorts only its own entries, and writes the flat map only at
                    // its entries' (pool, code) and the encodings only at its own places (the
                    // places no encoding is written at: an empty one), each of which is one entry's.
                    nonisolated(unsafe) let (sorted, flat, all) = (sorted, flat, all)
                    parallelFor(runs.count, threads: threads) { r in
                        number(sorted, runs[r], encodingsOf, offsets, flat, all)
                    }
                    windows = written(all, pieceList, encodingsOf, windowsOf, offsets, flat, threads: threads)
                }
            }
            // Every place is now written: 0, each number's first entry's, and the others' (empty).
            initialized = sorted.count + 1
        }
        var g = GlobalEncodings(ofPool: (0..<poolCount).map { Array(flat[offset[$0]..<offset[$0 + 1]]) })
        g.all = all
        g.windows = windows
        return g
    }

    /// Each entry of a run's number (its encoding's first entry's place plus one, the top bit set
    /// on that first entry), written in `flat`; the places of entries that are not first hold an
    /// empty encoding. Entries of one fingerprint (one identity read in several pools, or, never
    /// seen, two identities) are compared in first-read order.
    private static func number(
        _ sorted: UnsafeMutableBufferPointer<KeyTarget>, _ run: Range<Int>, _ encodingsOf: [[PersonEncoding]],
        _ offsets: [Int], _ flat: UnsafeMutableBufferPointer<UInt32>, _ all: UnsafeMutableBufferPointer<PersonEncoding>
    ) {
        var firsts: [Int] = []
        var start = run.lowerBound
        while start < run.upperBound {
            var end = start + 1
            while end < run.upperBound && sorted[end].key == sorted[start].key { end += 1 }
            defer { start = end }
            guard end - start > 1 else {
                flat[offsets[Int(sorted[start].target >> 32)] + Int(sorted[start].target & 0xFFFF_FFFF)] = UInt32(start + 1) | 1 << 31
                continue
            }
            sorted[start..<end].sort { $0.target < $1.target }
            firsts.removeAll(keepingCapacity: true)
            for k in start..<end {
                let p = Int(sorted[k].target >> 32), c = Int(sorted[k].target & 0xFFFF_FFFF)
                let same = firsts.first { f in
                    encodingsOf[Int(sorted[f].target >> 32)][Int(sorted[f].target & 0xFFFF_FFFF)].sameContents(encodingsOf[p][c])
                }
                if let same {
                    flat[offsets[p] + c] = UInt32(same + 1)
                    all.initializeElement(at: k + 1, to: PersonEncoding())
                } else {
                    flat[offsets[p] + c] = UInt32(k + 1) | 1 << 31
                    firsts.append(k)
                }
            }
        }
    }

    /// Every pool's first-read encodings written at their numbers (`number`), piece by piece on
    /// `threads` cores, reading each pool in code order; their windows in one table, each piece's
    /// after the pieces before it; the flat map's top bits cleared.
    private static func written(
        _ all: UnsafeMutableBufferPointer<PersonEncoding>, _ pieces: [(pool: Int, codes: Range<Int>)], _ encodingsOf: [[PersonEncoding]],
        _ windowsOf: [[UInt32]], _ offsets: [Int], _ flat: UnsafeMutableBufferPointer<UInt32>, threads: Int
    ) -> [UInt32] {
        // How many windows each piece writes, and so where its windows start.
        nonisolated(unsafe) let (all, flat) = (all, flat)
        let counts = parallelMap(pieces, threads: threads) { piece in
            piece.codes.reduce(0) { n, c in
                n + (flat[offsets[piece.pool] + c] >> 31 != 0 && encodingsOf[piece.pool][c].window != 0 ? 13 : 0)
            }
        }
        var startOf = [0]
        for n in counts { startOf.append(startOf[startOf.count - 1] + n) }
        let starts = startOf
        return [UInt32](unsafeUninitializedCapacity: starts[pieces.count]) { windows, initialized in
            // Unchecked: a piece reads and clears only its own codes' flat entries, writes the
            // encodings numbered by them (each number's first entry is one code's), and its own
            // range of windows.
            nonisolated(unsafe) let windows = windows
            parallelFor(pieces.count, threads: threads) { i in
                let (p, codes) = pieces[i]
                var next = starts[i]
                encodingsOf[p].withUnsafeBufferPointer { encodings in
                    for c in codes {
                        let v = flat[offsets[p] + c]
                        guard v >> 31 != 0 else { continue }
                        flat[offsets[p] + c] = v & ~(1 << 31)
                        var copy = encodings[c]
                        if copy.window != 0 {
                            let w = Int(copy.window) - 1
                            for t in 0..<13 { windows.initializeElement(at: next + t, to: windowsOf[p][w + t]) }
                            copy.window = UInt32(next + 1)
                            next += 13
                        }
                        all.initializeElement(at: Int(v & ~(1 << 31)), to: copy)
                    }
                }
            }
            initialized = starts[pieces.count]
        }
    }
}
