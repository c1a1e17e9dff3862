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
        // numbers keep the fingerprints' order whatever the runs, and each run writes its own
        // places (the places of duplicates stay empty encodings, never a member's).
        var windowsOfRun: [[UInt32]] = []
        let all = [PersonEncoding](unsafeUninitializedCapacity: sorted.count + 1) { all, initialized in
            all.initializeElement(at: 0, to: PersonEncoding())
            sorted.withUnsafeMutableBufferPointer { sorted in
                flat.withUnsafeMutableBufferPointer { flat in
                    // Unchecked: a run sorts only its own entries, writes the encodings only at its
                    // own places, and the flat map only at its entries' (pool, code), each of
                    // which is one entry's.
                    nonisolated(unsafe) let (sorted, flat, all) = (sorted, flat, all)
                    windowsOfRun = parallelMap(runs, threads: threads) { run in
                        distinct(sorted, run, encodingsOf, windowsOf, offsets, flat, all)
                    }
                    // Each run's windows follow the runs before it.
                    var bases: [UInt32] = []
                    var base = UInt32(0)
                    for windows in windowsOfRun {
                        bases.append(base)
                        base += UInt32(windows.count)
                    }
                    let windowBases = bases
                    parallelFor(runs.count, threads: threads) { r in
                        guard windowBases[r] > 0 else { return }
                        for k in runs[r] where all[k + 1].window != 0 { all[k + 1].window += windowBases[r] }
                    }
                }
            }
            initialized = sorted.count + 1
        }
        var g = GlobalEncodings(ofPool: (0..<poolCount).map { Array(flat[offset[$0]..<offset[$0 + 1]]) })
        g.all = all
        g.windows = windowsOfRun.flatMap { $0 }
        return g
    }

    /// The distinct encodings of one run of entries sorted by fingerprint, each written at its
    /// number (its first entry's place plus one; the others' places get an empty encoding), with
    /// the run's windows (numbered from 1 within the run); each entry's number written at its
    /// place in `flat`.
    private static func distinct(
        _ sorted: UnsafeMutableBufferPointer<KeyTarget>, _ run: Range<Int>, _ encodingsOf: [[PersonEncoding]],
        _ windowsOf: [[UInt32]], _ offsets: [Int], _ flat: UnsafeMutableBufferPointer<UInt32>,
        _ all: UnsafeMutableBufferPointer<PersonEncoding>
    ) -> [UInt32] {
        var windows: [UInt32] = []
        var firsts: [Int] = []
        var start = run.lowerBound
        while start < run.upperBound {
            var end = start + 1
            while end < run.upperBound && sorted[end].key == sorted[start].key { end += 1 }
            // One identity read in several pools (or, rarely, two identities): in first-read order.
            if end - start > 1 { sorted[start..<end].sort { $0.target < $1.target } }
            firsts.removeAll(keepingCapacity: true)
            for k in start..<end {
                let p = Int(sorted[k].target >> 32), c = Int(sorted[k].target & 0xFFFF_FFFF)
                let enc = encodingsOf[p][c]
                let same = firsts.first { all[$0 + 1].sameContents(enc) } ?? k
                flat[offsets[p] + c] = UInt32(same + 1)
                guard same == k else {
                    all.initializeElement(at: k + 1, to: PersonEncoding())
                    continue
                }
                firsts.append(k)
                var copy = enc
                if enc.window != 0 {
                    let w = Int(enc.window) - 1
                    copy.window = UInt32(windows.count + 1)
                    windows += windowsOf[p][w..<(w + 13)]
                }
                all.initializeElement(at: k + 1, to: copy)
            }
            start = end
        }
        return windows
    }
}
