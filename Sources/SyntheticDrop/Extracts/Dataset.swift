/// The datasets of a drop (DESIGN.md section 3), each written as one file by its agency.
public enum Dataset: String, CaseIterable, Sendable {
    case policeCrimes = "police_crimes"
    case policeIncidents = "police_incidents"
    case aeAttendances = "ae_attendances"
    case hospitalAdmissions = "hospital_admissions"
    case substanceTreatment = "substance_treatment"
    case childrensReferrals = "childrens_referrals"
    case childProtectionPlans = "child_protection_plans"
    case adultSafeguarding = "adult_safeguarding_enquiries"
    case homelessness = "homelessness"
    case education = "education"
    case earlyHelp = "early_help"

    public var agency: String {
        switch self {
        case .policeCrimes, .policeIncidents: "police"
        case .aeAttendances, .hospitalAdmissions, .substanceTreatment: "health"
        default: "council"
        }
    }

    /// Purpose number of the per-row random stream that presents identities in this extract.
    var identityStream: UInt64 { UInt64(100 + Dataset.allCases.firstIndex(of: self)!) }
}

/// What the generator wrote: one entry per file.
public struct WrittenFile: Sendable, Equatable {
    public let name: String
    public let rows: Int
    public let bytes: Int
}
