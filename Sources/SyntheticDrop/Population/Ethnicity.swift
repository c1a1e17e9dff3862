/// The 19 ethnic groups of the 2021 Census with Shropshire-like shares (Census 2021, Shropshire:
/// about 93% White British), and the code each agency's extract uses for them.
enum Ethnicity {
    struct Group {
        let name: String  // adult social care and homelessness: text
        let share: Double  // percent of residents
        let police: String  // police self-defined (18+1) code
        let nhs: String  // NHS Data Dictionary ethnic category
        let dfe: String  // DfE ethnicity code (children's services, education)
    }

    static let groups: [Group] = [
        Group(name: "White British", share: 92.4, police: "W1", nhs: "A", dfe: "WBRI"),
        Group(name: "White Irish", share: 0.4, police: "W2", nhs: "B", dfe: "WIRI"),
        Group(name: "White Gypsy or Irish Traveller", share: 0.1, police: "W3", nhs: "C", dfe: "WIRT"),
        Group(name: "White Roma", share: 0.05, police: "W9", nhs: "C", dfe: "WROM"),
        Group(name: "White Other", share: 3.2, police: "W9", nhs: "C", dfe: "WOTH"),
        Group(name: "Mixed White and Black Caribbean", share: 0.4, police: "M1", nhs: "D", dfe: "MWBC"),
        Group(name: "Mixed White and Black African", share: 0.15, police: "M2", nhs: "E", dfe: "MWBA"),
        Group(name: "Mixed White and Asian", share: 0.35, police: "M3", nhs: "F", dfe: "MWAS"),
        Group(name: "Mixed Other", share: 0.35, police: "M9", nhs: "G", dfe: "MOTH"),
        Group(name: "Asian Indian", share: 0.6, police: "A1", nhs: "H", dfe: "AIND"),
        Group(name: "Asian Pakistani", share: 0.15, police: "A2", nhs: "J", dfe: "APKN"),
        Group(name: "Asian Bangladeshi", share: 0.15, police: "A3", nhs: "K", dfe: "ABAN"),
        Group(name: "Chinese", share: 0.3, police: "A4", nhs: "R", dfe: "CHNE"),
        Group(name: "Asian Other", share: 0.4, police: "A9", nhs: "L", dfe: "AOTH"),
        Group(name: "Black African", share: 0.35, police: "B2", nhs: "N", dfe: "BAFR"),
        Group(name: "Black Caribbean", share: 0.1, police: "B1", nhs: "M", dfe: "BCRB"),
        Group(name: "Black Other", share: 0.05, police: "B9", nhs: "P", dfe: "BOTH"),
        Group(name: "Arab", share: 0.05, police: "O2", nhs: "S", dfe: "OOTH"),
        Group(name: "Any other ethnic group", share: 0.2, police: "O9", nhs: "S", dfe: "OOTH"),
    ]

    /// Not stated / refused, as each agency writes it.
    static let notStated = (name: "Not stated", police: "NS", nhs: "Z", dfe: "NOBT")

    static let table = WeightedTable(groups.map(\.share))
}
