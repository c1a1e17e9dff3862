/// One synthetic resident. Compact: a 1M-person partnership fits in a few tens of MB.
struct Person {
    var household: Int32
    var female: Bool
    /// Day number of birth.
    var birth: Int32
    var lsoa: Int16
    var postcode: Int32
    var ethnicity: UInt8
    var surname: Int16
    var forename: Int16
    /// A valid test-range NHS number (999 000 0000 and above), or 0 for a person without one.
    var nhsNumber: Int64
}

/// People who live together; members are contiguous in the population's person array.
struct Household {
    enum Kind: UInt8 {
        case singleAdult, singleOlder, couple, olderCouple, coupleWithChildren, loneParent, familyWithYoungAdults, sharers
    }
    var firstMember: Int32
    var memberCount: Int8
    var kind: Kind
    var lsoa: Int16
    var postcode: Int32

    var members: Range<Int> { Int(firstMember)..<Int(firstMember) + Int(memberCount) }
}
