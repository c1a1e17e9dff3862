/// One row of each agency's extract, held as small codes until it is written. A person is an index
/// into the population; -1 means nobody (an organisation victim, an unidentified suspect).
struct CrimeRow {
    var crime: Int32
    var day: Int32
    var minute: Int16
    var offence: UInt8
    var flags: CrimeFlags
    var hateStrands: UInt8
    var lsoa: Int16
    var victim: Int32
    var suspect: Int32
    var outcome: UInt8
    var outcomeDelay: Int16
}

struct CrimeFlags: OptionSet {
    let rawValue: UInt8
    static let domesticAbuse = CrimeFlags(rawValue: 1)
    static let hate = CrimeFlags(rawValue: 2)
    static let cse = CrimeFlags(rawValue: 4)
    static let cce = CrimeFlags(rawValue: 8)
    static let countyLines = CrimeFlags(rawValue: 16)
    static let modernSlavery = CrimeFlags(rawValue: 32)
    static let alcohol = CrimeFlags(rawValue: 64)
    static let drugs = CrimeFlags(rawValue: 128)
}

struct IncidentRow {
    var day: Int32
    var minute: Int16
    var type: UInt8
    var alcohol: Bool
    var drugs: Bool
    var lsoa: Int16
    var person: Int32
    var role: UInt8
    var suspect: Int32
}

struct AttendanceRow {
    var day: Int32
    var minute: Int16
    var person: Int32
    var flags: UInt8  // AttendanceFlag bits
    var site: UInt8
}

enum AttendanceFlag {
    static let assault: UInt8 = 1, domesticAbuse: UInt8 = 2, selfHarm: UInt8 = 4, alcohol: UInt8 = 8, drugs: UInt8 = 16
    static let mentalHealth: UInt8 = 32
}

struct AdmissionRow {
    var day: Int32
    var stay: Int16
    var person: Int32
    var emergency: Bool
    var diagnoses: (UInt16, UInt16, UInt16)  // indices into Codes.diagnoses; .max = none
}

struct TreatmentRow {
    var day: Int32
    var end: Int32  // -1: still open
    var person: Int32
    var substance: UInt8
    var secondSubstance: UInt8  // .max: none
    var referral: UInt8
    var discharge: UInt8  // .max: still open
    var withChildren: Bool
    var mentalHealth: UInt8  // index into Codes.mentalHealthNeeds
}

struct ReferralRow {
    var day: Int32
    var person: Int32
    var source: UInt8
    var need: UInt8
    var factors: UInt32  // bits over Codes.assessmentFactors
    var outcome: UInt8
}

struct PlanRow {
    var day: Int32
    var end: Int32  // -1: still open
    var person: Int32
    var category: UInt8
    var sequence: UInt8
}

struct EnquiryRow {
    var day: Int32
    var person: Int32
    var risk: UInt8
    var selfNeglectType: UInt8  // .max: not self-neglect
    var location: UInt8
    var capacity: UInt8
    var outcome: UInt8
    var sourceOfRisk: UInt8
}

struct HomelessnessRow {
    var day: Int32
    var decisionDelay: Int16
    var person: Int32
    var duty: UInt8
    var reason: UInt8
    var needs: UInt16  // bits over Codes.supportNeeds
}

struct EducationRow {
    var day: Int32
    var person: Int32
    var type: UInt8  // 0 suspension, 1 permanent exclusion, 2 NEET
    var reason: UInt8
    var sessions: UInt8
}

struct EarlyHelpRow {
    var day: Int32
    var end: Int32  // -1: still open
    var person: Int32
    var family: Int32
    var episode: Int32
    var reason: UInt8
    var closure: UInt8
}
