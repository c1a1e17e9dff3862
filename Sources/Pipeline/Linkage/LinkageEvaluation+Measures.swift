extension LinkageEvaluation {
    /// The pairwise and cluster measures of the records, overall and per group.
    ///
    /// Records are sorted twice: by (true person, id) and by (id, true person), records without an
    /// id left out of the second (each is a person of its own, in no linked pair). A run of equal
    /// keys is a cell whose records are pairs: within a run of n records, one group's g records
    /// make g(n-1) - g(g-1)/2 of its pairs with at least one of the group's records.
    /// - Complexity: two sorts of the records.
    /// `misses` gets each record split off from its person or merged into another's (the record's
    /// index, and which).
    /// Returns each record's linkable part of its person (a number per part, from 1).
    @discardableResult
    mutating func measure(_ records: TruthRecords, misses: ((Int, String) -> Void)? = nil) -> [UInt32] {
        let n = records.linked.count, groupCount = records.groups.count
        var perGroup = [Measures](repeating: Measures(), count: groupCount)
        for i in 0..<n {
            perGroup[Int(records.group[i])].records += 1
            if records.linked[i] == 0 { perGroup[Int(records.group[i])].unlinked += 1 }
        }
        let byTruth = (0..<n).map { UInt64(records.truth[$0]) << 32 | UInt64(records.linked[$0]) }.enumerated()
            .sorted { $0.element < $1.element }
        let byLinked = (0..<n).filter { records.linked[$0] != 0 }.map {
            (offset: $0, element: UInt64(records.linked[$0]) << 32 | UInt64(records.truth[$0]))
        }
        .sorted { $0.element < $1.element }
        var tally = PairTally(groups: groupCount)
        // True persons: pairs, and the records apart from their person's main id.
        forEachRun(byTruth, shift: 32) { run in
            truePeople += 1
            tally.count(run, records.group) { perGroup[$0].truePairs += $1 }
            let cells = cellsOf(run, records.linked)
            guard cells.count > 1 else { return }
            peopleSplit += 1
            // The person's main cell: the id most of their records have (a record without one is
            // a cell of one; the first such is kept when no id has more).
            forEachApart(run, records.linked, main: mainCell(cells)) { perGroup[Int(records.group[$0])].splitOff += 1 }
        }
        // Cells of (id, true person): the correct pairs.
        forEachRun(byLinked, shift: 0) { run in tally.count(run, records.group) { perGroup[$0].correctPairs += $1 } }
        // Linked persons: pairs, and the records held under another person's main id.
        forEachRun(byLinked, shift: 32) { run in
            linkedPeople += 1
            tally.count(run, records.group) { perGroup[$0].linkedPairs += $1 }
            let cells = cellsOf(run, records.truth)
            guard cells.count > 1 else { return }
            idsMerging += 1
            let main = mainCell(cells)
            for e in run where records.truth[e.offset] != main {
                perGroup[Int(records.group[e.offset])].mergedIn += 1
                misses?(e.offset, "merged in with the records of true person \(main)")
            }
        }
        // Linkable pairs: each true person's records joined by what they present.
        let components = linkableComponents(byTruth, records.presented)
        let byComponent = (0..<n).map { UInt64(components[$0]) << 32 | UInt64(records.linked[$0]) }.enumerated()
            .sorted { $0.element < $1.element }
        forEachRun(byComponent, shift: 32) { run in
            tally.count(run, records.group) { perGroup[$0].linkablePairs += $1 }
            guard let misses, run.count > 1 else { return }
            forEachApart(run, records.linked, main: mainCell(cellsOf(run, records.linked))) {
                misses($0, "apart from linkable records of its person")
            }
        }
        forEachRun(byComponent, shift: 0) { run in
            guard records.linked[run.first!.offset] != 0 else { return }
            tally.count(run, records.group) { perGroup[$0].correctLinkablePairs += $1 }
        }
        // Overall: the same runs without groups.
        overall = Measures()
        var all = PairTally(groups: 1)
        let none = [UInt16](repeating: 0, count: n)
        forEachRun(byTruth, shift: 32) { run in all.count(run, none) { overall.truePairs += $1 } }
        forEachRun(byLinked, shift: 0) { run in all.count(run, none) { overall.correctPairs += $1 } }
        forEachRun(byLinked, shift: 32) { run in all.count(run, none) { overall.linkedPairs += $1 } }
        forEachRun(byComponent, shift: 32) { run in all.count(run, none) { overall.linkablePairs += $1 } }
        forEachRun(byComponent, shift: 0) { run in
            guard records.linked[run.first!.offset] != 0 else { return }
            all.count(run, none) { overall.correctLinkablePairs += $1 }
        }
        for m in perGroup {
            overall.records += m.records; overall.unlinked += m.unlinked
            overall.splitOff += m.splitOff; overall.mergedIn += m.mergedIn
        }
        // Records without an id are each a linked person of their own.
        linkedPeople += overall.unlinked
        groups = zip(records.groups, perGroup).map { Group(dataset: $0.0.dataset, role: $0.0.role, measures: $0.1) }
        return components
    }

    /// Numbers each true person's linkable parts: records are joined when they share a valid NHS
    /// number or a local id, and all records that name the person are joined.
    private func linkableComponents(_ byTruth: [(offset: Int, element: UInt64)], _ presented: [Presented]) -> [UInt32] {
        var component = [UInt32](repeating: 0, count: presented.count)
        var next: UInt32 = 0
        forEachRun(byTruth, shift: 32) { run in
            let members = run.map(\.offset)
            var parent = Array(members.indices)
            func root(_ i: Int) -> Int {
                var r = i
                while parent[r] != r { r = parent[r] }
                return r
            }
            func join(_ a: Int, _ b: Int) {
                let (x, y) = (root(a), root(b))
                if x != y { parent[max(x, y)] = min(x, y) }
            }
            var byNHS: [UInt64: Int] = [:], byLocal: [Int: Int] = [:]
            var named: Int?
            for (k, i) in members.enumerated() {
                let p = presented[i]
                if p.nhs != 0 { if let j = byNHS[p.nhs] { join(j, k) } else { byNHS[p.nhs] = k } }
                if p.local != 0 { if let j = byLocal[p.local] { join(j, k) } else { byLocal[p.local] = k } }
                if p.named { if let j = named { join(j, k) } else { named = k } }
            }
            var number: [Int: UInt32] = [:]
            for (k, i) in members.enumerated() {
                let r = root(k)
                if number[r] == nil {
                    next += 1
                    number[r] = next
                }
                component[i] = number[r]!
            }
        }
        return component
    }

    /// Calls `body` with each run of entries whose keys agree above `shift` bits.
    private func forEachRun(
        _ sorted: [(offset: Int, element: UInt64)], shift: UInt64, _ body: (ArraySlice<(offset: Int, element: UInt64)>) -> Void
    ) {
        var start = 0
        while start < sorted.count {
            let key = sorted[start].element >> shift
            var end = start + 1
            while end < sorted.count && sorted[end].element >> shift == key { end += 1 }
            body(sorted[start..<end])
            start = end
        }
    }

    /// Calls `body` with each record of a run whose id is not the main one (of records without an
    /// id, all but the first when the main "id" is none).
    private func forEachApart(_ run: ArraySlice<(offset: Int, element: UInt64)>, _ linked: [UInt32], main: UInt32, _ body: (Int) -> Void) {
        var keptOne = false
        for e in run {
            let id = linked[e.offset]
            if id == main && (id != 0 || !keptOne) {
                keptOne = true
            } else {
                body(e.offset)
            }
        }
    }

    /// The value most records of a cell list have (the smaller on a tie).
    private func mainCell(_ cells: [(id: UInt32, count: Int)]) -> UInt32 {
        cells.max { ($0.count, $1.id) < ($1.count, $0.id) }!.id
    }

    /// The distinct values of `of` among a run's records with how many have each; a 0 (no id)
    /// counts once per record.
    private func cellsOf(_ run: ArraySlice<(offset: Int, element: UInt64)>, _ of: [UInt32]) -> [(id: UInt32, count: Int)] {
        var cells: [(id: UInt32, count: Int)] = []
        for e in run {
            let v = of[e.offset]
            if v != 0, let i = cells.firstIndex(where: { $0.id == v }) { cells[i].count += 1 } else { cells.append((v, 1)) }
        }
        return cells
    }
}

/// Counts the pairs of a run of records, and for each group the pairs with at least one of its records.
struct PairTally {
    private var inRun: [Int]
    private var touched: [Int] = []

    init(groups: Int) { inRun = [Int](repeating: 0, count: groups) }

    /// Gives `add` each group's pairs in the run that have at least one of its records.
    mutating func count(_ run: ArraySlice<(offset: Int, element: UInt64)>, _ group: [UInt16], add: (Int, Int) -> Void) {
        let n = run.count
        guard n > 1 else { return }
        for e in run {
            let g = Int(group[e.offset])
            if inRun[g] == 0 { touched.append(g) }
            inRun[g] += 1
        }
        for g in touched {
            let k = inRun[g]
            add(g, k * (n - 1) - k * (k - 1) / 2)
            inRun[g] = 0
        }
        touched.removeAll(keepingCapacity: true)
    }
}
