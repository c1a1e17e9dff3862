/// Synthetic postcodes for each LSOA in the real postcode districts of its locality. They are
/// shaped like real ones but the LSOA each maps to is invented; the drop ships the lookup.
struct PostcodeBook {
    private(set) var codes: [String] = []
    private(set) var lsoaOfCode: [Int16] = []
    private(set) var byLSOA: [[Int32]] = []

    static let districts: [String: [String]] = [
        "Shrewsbury": ["SY1", "SY2", "SY3"],
        "North West": ["SY10", "SY11", "SY12"],
        "North East": ["SY13", "TF9", "SY4"],
        "South": ["SY5", "SY6", "SY7", "SY8", "SY9", "DY14"],
        "East": ["WV15", "WV16", "TF11", "TF12", "TF13", "WV7"],
    ]
    private static let unitLetters = Array("ABDEFGHJLNPQRSTUWXYZ")

    init(lsoas: [(code: String, locality: String)], seed: UInt64) {
        var counters: [String: Int] = [:]
        for (i, lsoa) in lsoas.enumerated() {
            var rng = SeededRandom(seed: seed, stream: UInt64(i), purpose: 0x9057)
            let options = Self.districts[lsoa.locality] ?? ["SY1"]
            let district = options[rng.int(0..<options.count)]
            let count = 30 + rng.int(0..<30)
            var mine: [Int32] = []
            for _ in 0..<count {
                let n = counters[district, default: 0]
                counters[district] = n + 1
                let sector = 1 + (n / 400) % 9
                let unit = String([Self.unitLetters[(n / 20) % 20], Self.unitLetters[n % 20]])
                mine.append(Int32(codes.count))
                codes.append("\(district) \(sector)\(unit)")
                lsoaOfCode.append(Int16(i))
            }
            byLSOA.append(mine)
        }
    }
}
