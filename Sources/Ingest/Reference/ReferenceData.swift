import CSVText
import Columnar
import Foundation
import Reference

/// The reference lookups ingest resolves places through: LSOA codes to the area's LSOAs (and so to
/// ward, locality and authority), postcodes to LSOAs.
public struct ReferenceData: Sendable {
    public let geography: AreaGeography
    /// Residents of each LSOA (index as in `geography`), and of them those aged under 18, from the
    /// drop's `reference/population.csv`; empty when the drop has none.
    public private(set) var residents: [Int] = []
    public private(set) var children: [Int] = []
    /// The population file's age bands (youngest first) and each LSOA's residents in each, when
    /// every band it names is an age range; empty otherwise.
    public private(set) var ageBands: [AgeBand] = []
    public private(set) var residentsByAge: [[Int]] = []
    /// Where services are provided, from the drop's `reference/services.csv`; empty when it has none.
    public internal(set) var services: [ServiceSite] = []
    private let lsoaCodes: ByteDictionary  // code -> LSOA index + 1
    private let lsoaIndexOfCode: [UInt16]  // dictionary code -> LSOA index
    /// LSOA codes of up to 15 bytes (all real ones) by their packed bytes -> LSOA index; longer
    /// ones only in `lsoaCodes`.
    private let shortLSOA: ShortKeyTable
    /// Normalised postcodes (at most 8 bytes) by their packed bytes -> LSOA index (or outside).
    private let postcodes: ShortKeyTable

    /// `aliases` map other codes (2021 LSOAs) to an LSOA of the geography (their 2011 best fit).
    public init(
        geography: AreaGeography, postcodes: [(postcode: String, lsoa: String)] = [],
        aliases: [(code: String, lsoa: String)] = []
    ) {
        self.geography = geography
        var codes = ByteDictionary(capacity: geography.lsoas.count + aliases.count)
        var indexOfCode: [UInt16] = [0]
        for (i, l) in geography.lsoas.enumerated() where codes.insert(l.code) == UInt32(indexOfCode.count) {
            indexOfCode.append(UInt16(i))
        }
        for (alias, target) in aliases {
            guard let t = codes.find(target), codes.find(alias) == nil else { continue }
            _ = codes.insert(alias)
            indexOfCode.append(indexOfCode[Int(t)])
        }
        lsoaCodes = codes
        lsoaIndexOfCode = indexOfCode
        var short = ShortKeyTable(capacity: codes.count)
        for code in stride(from: 1, through: codes.count, by: 1) {
            codes.withBytes(UInt32(code)) { b in if let key = ShortKeyTable.Key(b) { short.set(key, UInt32(indexOfCode[code])) } }
        }
        shortLSOA = short
        // A postcode listed twice keeps its first LSOA.
        var pc = ShortKeyTable(capacity: postcodes.count)
        for (p, l) in postcodes {
            guard let key = Array(p.utf8).withUnsafeBufferPointer({ Self.normalisedPostcode($0) }) else { continue }
            _ = pc.value(key) { UInt32(codes.find(l).map { indexOfCode[Int($0)] } ?? AreaColumn.outside) }
        }
        self.postcodes = pc
    }

    /// Loads the drop's `reference/` lookups, falling back to `defaultGeography` when the drop has
    /// no geography of its own.
    public static func load(drop: String, defaultGeography: String, aliases aliasFile: String? = nil) throws -> ReferenceData {
        let own = drop + "/reference/geography.csv"
        let geography = try AreaGeography.load(path: FileManager.default.fileExists(atPath: own) ? own : defaultGeography)
        var pairs: [(String, String)] = []
        let postcodeFile = drop + "/reference/postcodes.csv"
        if FileManager.default.fileExists(atPath: postcodeFile) {
            var pcColumn = 0, lsoaColumn = 1
            try CSVReader(path: postcodeFile).forEachRecord { r in
                let values = r.strings()
                if r.index == 1 {
                    guard let p = values.firstIndex(of: "postcode"), let l = values.firstIndex(of: "lsoa_code") else {
                        throw ReferenceDataError(file: postcodeFile, line: r.line, message: "needs columns postcode and lsoa_code")
                    }
                    pcColumn = p
                    lsoaColumn = l
                } else if values.count > max(pcColumn, lsoaColumn) {
                    pairs.append((values[pcColumn], values[lsoaColumn]))
                }
                return true
            }
        }
        var aliases: [(String, String)] = []
        if let aliasFile, FileManager.default.fileExists(atPath: aliasFile) {
            try CSVReader(path: aliasFile).forEachRecord { r in
                if r.index > 1 && r.count >= 2 { aliases.append((r.string(0), r.string(1))) }
                return true
            }
        }
        var reference = ReferenceData(geography: geography, postcodes: pairs, aliases: aliases)
        let populationFile = drop + "/reference/population.csv"
        if FileManager.default.fileExists(atPath: populationFile) {
            try reference.loadPopulation(populationFile)
        }
        let servicesFile = drop + "/reference/services.csv"
        if FileManager.default.fileExists(atPath: servicesFile) {
            try reference.loadServices(servicesFile)
        }
        return reference
    }

    /// Reads residents by area, sex and age band (`area_code,sex,age_band,population`).
    mutating func loadPopulation(_ path: String) throws {
        var all = [Int](repeating: 0, count: geography.lsoas.count)
        var young = all
        var bandIndex: [String: Int] = [:], bandLabels: [String] = []
        var byBand: [(lsoa: Int, band: Int, n: Int)] = []
        try ReferenceFile.forEachRow(path, required: ["area_code", "age_band", "population"]) { row in
            guard let n = Int(row["population"]) else {
                throw ReferenceDataError(file: path, line: row.line, message: "population '\(row["population"])' is not a whole number")
            }
            let area = Array(row["area_code"].utf8).withUnsafeBufferPointer { self.area(lsoa: $0) }
            guard AreaColumn.isInArea(area) else { return }
            all[Int(area)] += n
            let label = row["age_band"]
            if ["0-4", "5-9", "10-14", "15-17"].contains(label) { young[Int(area)] += n }
            let band = bandIndex[label] ?? bandLabels.count
            if band == bandLabels.count {
                bandIndex[label] = band
                bandLabels.append(label)
            }
            byBand.append((Int(area), band, n))
        }
        residents = all
        children = young
        // Residents by age only where every band is an age range, youngest first.
        let bands = bandLabels.compactMap(AgeBand.init)
        guard !bands.isEmpty, bands.count == bandLabels.count else { return }
        let order = bands.indices.sorted { bands[$0].lower < bands[$1].lower }
        // Bands that overlap (a file giving 0-17 beside 0-4) cannot be added up by age.
        for (a, b) in zip(order, order.dropFirst()) {
            guard let upper = bands[a].upper, upper < bands[b].lower else { return }
        }
        var position = [Int](repeating: 0, count: bands.count)
        for (k, b) in order.enumerated() { position[b] = k }
        var table = [[Int]](repeating: [Int](repeating: 0, count: bands.count), count: geography.lsoas.count)
        for (lsoa, band, n) in byBand { table[lsoa][position[band]] += n }
        ageBands = order.map { bands[$0] }
        residentsByAge = table
    }

    /// The area of an LSOA code: its index, `outside` for a well-formed code of elsewhere (E01/W01
    /// 2011 and E01/W01 2021 codes share the shape), `unknown` for anything else, `missing` if blank.
    public func area(lsoa b: UnsafeBufferPointer<UInt8>) -> UInt16 {
        if b.isEmpty { return AreaColumn.missing }
        if let key = ShortKeyTable.Key(b) {
            if let i = shortLSOA.find(key) { return UInt16(i) }
        } else if let i = lsoaCodes.find(b) {
            return lsoaIndexOfCode[Int(i)]
        }
        return Self.looksLikeLSOA(b) ? AreaColumn.outside : AreaColumn.unknown
    }

    /// The area of a postcode through the postcode lookup.
    public func area(postcode b: UnsafeBufferPointer<UInt8>) -> UInt16 {
        if b.isEmpty { return AreaColumn.missing }
        guard let key = Self.normalisedPostcode(b) else { return AreaColumn.unknown }
        return postcodes.find(key).map { UInt16($0) } ?? AreaColumn.outside
    }

    static func looksLikeLSOA(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count == 9, b[0] == UInt8(ascii: "E") || b[0] == UInt8(ascii: "W"), b[1] == UInt8(ascii: "0"),
            b[2] == UInt8(ascii: "1")
        else { return false }
        return b[3...].allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// `normalisePostcode` packed for lookup (a normalised postcode is at most 8 bytes), with no
    /// array in between.
    @inline(__always)
    static func normalisedPostcode(_ b: UnsafeBufferPointer<UInt8>) -> ShortKeyTable.Key? {
        var w: UInt64 = 0, n = 0
        for c in b where c != 0x20 && c != 0x09 {
            let u = (c >= 0x61 && c <= 0x7A) ? c - 32 : c
            guard (u >= 0x41 && u <= 0x5A) || (u >= 0x30 && u <= 0x39), n < 7 else { return nil }
            w |= UInt64(u) << (8 * UInt64(n))
            n += 1
        }
        guard n >= 5 else { return nil }
        @inline(__always) func at(_ i: Int) -> UInt8 { UInt8(truncatingIfNeeded: w >> (8 * UInt64(i))) }
        @inline(__always) func letter(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }
        @inline(__always) func digit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        guard letter(at(0)), digit(at(n - 3)), letter(at(n - 2)), letter(at(n - 1)) else { return nil }
        // The inward code (last three) moves up a byte for the space before it.
        let outwardBits = 8 * UInt64(n - 3)
        let outward = w & ((1 << outwardBits) - 1)
        let inward = w >> outwardBits
        let packed = outward | 0x20 << outwardBits | inward << (outwardBits + 8)
        return ShortKeyTable.Key(low: packed, high: UInt64(n + 1) << 56)
    }

    /// Upper case, one space before the inward code (`sy11ab` -> `SY1 1AB`); false if the shape is
    /// not a UK postcode (outward 2-4 characters starting with a letter, inward digit + 2 letters).
    /// The lookup uses `normalisedPostcode`, which gives the same bytes packed; this form is for
    /// checking it (the fuzz target compares the two).
    public static func normalisePostcode(_ b: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
        out.removeAll(keepingCapacity: true)
        for c in b where c != 0x20 && c != 0x09 {
            let u = (c >= 0x61 && c <= 0x7A) ? c - 32 : c
            guard (u >= 0x41 && u <= 0x5A) || (u >= 0x30 && u <= 0x39) else { return false }
            out.append(u)
        }
        guard (5...7).contains(out.count) else { return false }
        let n = out.count
        func letter(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }
        func digit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        guard letter(out[0]), digit(out[n - 3]), letter(out[n - 2]), letter(out[n - 1]) else { return false }
        out.insert(0x20, at: n - 3)
        return true
    }
}
