/// NHS numbers from the test range (999 000 0000 to 999 999 9999), which are never issued to real
/// patients, with a valid modulus-11 check digit.
enum NHSNumber {
    /// The check digit of a 9-digit stem, or nil where the stem has none (remainder gives 10).
    static func checkDigit(stem: Int) -> Int? {
        var sum = 0
        var v = stem
        for weight in 2...10 {
            sum += (v % 10) * weight
            v /= 10
        }
        let check = 11 - sum % 11
        if check == 11 { return 0 }
        if check == 10 { return nil }
        return check
    }

    /// Walks the test range in a scrambled but fixed order, yielding valid numbers.
    struct Sequence {
        private var k = 0
        /// About 909,000 valid numbers exist in the test range.
        mutating func next() -> Int64? {
            while k < 1_000_000 {
                let stem = 999_000_000 + (k &* 7919 &+ 12_345) % 1_000_000
                k += 1
                if let c = checkDigit(stem: stem) { return Int64(stem) * 10 + Int64(c) }
            }
            return nil
        }
    }
}
