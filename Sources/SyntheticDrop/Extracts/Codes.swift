/// The code lists each synthetic agency writes. They follow the real national lists (Home Office
/// crime and outcome codes, ICD-10, CIN census, Safeguarding Adults Collection, H-CLIC, DfE
/// exclusion reasons, NDTMS) closely enough that the source definitions map them as a real area would.
enum Codes {
    struct Offence { let code: String; let description: String }

    /// Home Office offence codes (notifiable offences list), as a police extract carries them.
    static let offences: [Offence] = [
        Offence(code: "8N", description: "Assault with injury"),  // 0
        Offence(code: "105A", description: "Assault without injury"),  // 1
        Offence(code: "5D", description: "Assault with intent to cause serious harm"),  // 2
        Offence(code: "8U", description: "Controlling or coercive behaviour"),  // 3
        Offence(code: "8Q", description: "Stalking"),  // 4
        Offence(code: "8L", description: "Harassment"),  // 5
        Offence(code: "19C", description: "Rape of a female aged 16 and over"),  // 6
        Offence(code: "17A", description: "Sexual assault on a female aged 13 and over"),  // 7
        Offence(code: "22B", description: "Sexual activity involving a child under 16"),  // 8
        Offence(code: "71", description: "Sexual exploitation of children"),  // 9
        Offence(code: "34B", description: "Robbery of personal property"),  // 10
        Offence(code: "28E", description: "Burglary - residential"),  // 11
        Offence(code: "30C", description: "Burglary - business and community"),  // 12
        Offence(code: "45", description: "Theft from a vehicle"),  // 13
        Offence(code: "48", description: "Theft or unauthorised taking of a motor vehicle"),  // 14
        Offence(code: "46", description: "Shoplifting"),  // 15
        Offence(code: "49", description: "Other theft"),  // 16
        Offence(code: "44", description: "Theft of a pedal cycle"),  // 17
        Offence(code: "58A", description: "Criminal damage to a dwelling"),  // 18
        Offence(code: "58C", description: "Criminal damage to a vehicle"),  // 19
        Offence(code: "56B", description: "Arson not endangering life"),  // 20
        Offence(code: "92D", description: "Possession of controlled drugs (excluding cannabis)"),  // 21
        Offence(code: "92E", description: "Possession of cannabis"),  // 22
        Offence(code: "92A", description: "Trafficking in controlled drugs"),  // 23
        Offence(code: "10D", description: "Possession of article with blade or point"),  // 24
        Offence(code: "9A", description: "Public fear, alarm or distress"),  // 25
        Offence(code: "8P", description: "Racially or religiously aggravated public fear, alarm or distress"),  // 26
        Offence(code: "106", description: "Modern slavery"),  // 27
        Offence(code: "39", description: "Theft from the person"),  // 28
    ]
    enum O {
        static let abh: UInt8 = 0, commonAssault: UInt8 = 1, gbh: UInt8 = 2, coercive: UInt8 = 3, stalking: UInt8 = 4
        static let harassment: UInt8 = 5, rape: UInt8 = 6, sexualAssault: UInt8 = 7, childSexual: UInt8 = 8
        static let childSexualExploitation: UInt8 = 9, robbery: UInt8 = 10, burglaryResidential: UInt8 = 11
        static let burglaryBusiness: UInt8 = 12, theftFromVehicle: UInt8 = 13, vehicleTheft: UInt8 = 14
        static let shoplifting: UInt8 = 15, otherTheft: UInt8 = 16, cycleTheft: UInt8 = 17, damageDwelling: UInt8 = 18
        static let damageVehicle: UInt8 = 19, arson: UInt8 = 20, possessionDrugs: UInt8 = 21, possessionCannabis: UInt8 = 22
        static let trafficking: UInt8 = 23, blade: UInt8 = 24, publicOrder: UInt8 = 25, aggravatedPublicOrder: UInt8 = 26
        static let modernSlavery: UInt8 = 27, theftFromPerson: UInt8 = 28
    }

    /// Home Office outcome types (code, description); 1-8 are the positive outcomes.
    static let outcomes: [(Int, String)] = [
        (1, "Charged/Summonsed"), (2, "Youth caution"), (3, "Adult caution"), (8, "Community resolution"),
        (14, "Evidential difficulties: suspect not identified; victim does not support further action"),
        (15, "Evidential difficulties: suspect identified; victim supports action"),
        (16, "Evidential difficulties: victim does not support further action"),
        (18, "Investigation complete - no suspect identified"),
        (20, "Action undertaken by another body/agency"),
        (21, "Further investigation not in the public interest"),
        (0, "Under investigation"),
    ]

    static let hateStrands = ["Race", "Religion", "Sexual orientation", "Disability", "Transgender"]

    /// Police incident types: (code, description).
    static let incidentTypes: [(String, String)] = [
        ("ASBP", "ASB - Personal"), ("ASBN", "ASB - Nuisance"), ("ASBE", "ASB - Environmental"),
        ("DOMNC", "Domestic incident - non crime"), ("RTC", "Road traffic collision"),
        ("MISS", "Missing person"), ("CFW", "Concern for welfare"),
    ]
    enum Incident {
        static let asbPersonal: UInt8 = 0, asbNuisance: UInt8 = 1, asbEnvironmental: UInt8 = 2, domestic: UInt8 = 3
        static let collision: UInt8 = 4, missing: UInt8 = 5, welfare: UInt8 = 6
    }
    static let incidentRoles = ["VICTIM", "SUBJECT", "REPORTING PERSON"]

    static let aeSites = ["RXWAS", "RXWAT", "RL4", "RJE"]

    /// ICD-10 codes (4 characters, no dot, as SUS and HES carry them) and what they are.
    static let diagnoses: [(String, String)] = [
        ("J181", "Lobar pneumonia"), ("I219", "Acute myocardial infarction"), ("K359", "Acute appendicitis"),
        ("S720", "Fracture of neck of femur"), ("N390", "Urinary tract infection"), ("I500", "Congestive heart failure"),
        ("J440", "COPD with acute lower respiratory infection"), ("R074", "Chest pain"), ("C509", "Malignant neoplasm of breast"),
        ("K802", "Calculus of gallbladder"), ("M171", "Primary gonarthrosis"), ("H251", "Senile nuclear cataract"),
        ("R55X", "Syncope and collapse"), ("E119", "Type 2 diabetes"), ("J069", "Acute upper respiratory infection"),
        ("R104", "Abdominal pain"), ("S525", "Fracture of lower end of radius"), ("O800", "Spontaneous vertex delivery"),
        ("Z515", "Palliative care"), ("I489", "Atrial fibrillation"),
        // 20...: alcohol-specific (OHID list: wholly attributable to alcohol)
        ("F102", "Mental and behavioural disorders due to alcohol: dependence syndrome"),
        ("F100", "Mental and behavioural disorders due to alcohol: acute intoxication"),
        ("F103", "Mental and behavioural disorders due to alcohol: withdrawal state"),
        ("K703", "Alcoholic cirrhosis of liver"), ("K701", "Alcoholic hepatitis"), ("K292", "Alcoholic gastritis"),
        ("G312", "Degeneration of nervous system due to alcohol"), ("T510", "Toxic effect of ethanol"),
        ("X450", "Accidental poisoning by exposure to alcohol"),
        // 29...: frailty and self-neglect presentations
        ("R54X", "Age-related physical debility"), ("L899", "Pressure ulcer"), ("E86X", "Volume depletion"),
        ("R296", "Repeated falls"), ("E441", "Mild protein-calorie malnutrition"),
        // 34...: drug-related and self-harm
        ("F112", "Mental and behavioural disorders due to opioids: dependence syndrome"),
        ("T401", "Poisoning by heroin"), ("X610", "Intentional self-poisoning by drugs"),
        // 37...: mental health (ICD-10 chapter V, not due to substances)
        ("F322", "Severe depressive episode without psychotic symptoms"), ("F200", "Paranoid schizophrenia"),
        ("F431", "Post-traumatic stress disorder"), ("F603", "Emotionally unstable personality disorder"),
        ("F412", "Mixed anxiety and depressive disorder"), ("F319", "Bipolar affective disorder, unspecified"),
    ]
    static let generalDiagnoses = 0..<20
    static let alcoholSpecificDiagnoses = 20..<29
    static let frailtyDiagnoses = 29..<34
    static let drugDiagnoses = 34..<37
    static let mentalHealthDiagnoses = 37..<43
    /// NDTMS-style co-occurring mental health treatment need, by `DropBuilder.mentalHealthNeed`.
    static let mentalHealthNeeds = ["Yes - receiving treatment", "Yes - not receiving treatment", "No", ""]

    /// NDTMS-style substances (a substance group is assigned by the source definition).
    static let substances = [
        "Heroin", "Crack cocaine", "Cocaine", "Cannabis", "Alcohol", "Benzodiazepines", "Ketamine", "Methadone - illicit",
    ]
    enum Substance {
        static let heroin: UInt8 = 0, crack: UInt8 = 1, cocaine: UInt8 = 2, cannabis: UInt8 = 3, alcohol: UInt8 = 4,
            benzodiazepines: UInt8 = 5, ketamine: UInt8 = 6
    }

    static let treatmentReferralSources = [
        "Self", "GP", "Hospital", "Prison", "Probation", "Arrest referral", "Children and family services",
        "Adult social care", "Other",
    ]
    enum Referral {
        static let selfReferral: UInt8 = 0, gp: UInt8 = 1, hospital: UInt8 = 2, prison: UInt8 = 3, probation: UInt8 = 4, arrest: UInt8 = 5,
            children: UInt8 = 6, adults: UInt8 = 7, other: UInt8 = 8
    }

    static let dischargeReasons = [
        "Treatment completed - drug free", "Treatment completed - alcohol free",
        "Treatment completed - occasional user", "Incomplete - dropped out",
        "Incomplete - treatment withdrawn by provider", "Transferred - not in custody",
        "Transferred - in custody", "Incomplete - client died",
    ]

    /// CIN census source of referral codes.
    static let referralSources = ["1A", "1B", "1C", "2A", "2B", "3A", "3B", "3E", "3F", "4", "5A", "5C", "6", "7", "8", "9"]
    enum Source {
        static let family: UInt8 = 0, school: UInt8 = 3, gp: UInt8 = 5, healthVisitor: UInt8 = 6, ae: UInt8 = 7, health: UInt8 = 8,
            housing: UInt8 = 9, socialCare: UInt8 = 10, otherLA: UInt8 = 11, police: UInt8 = 12, legal: UInt8 = 13, other: UInt8 = 14,
            anonymous: UInt8 = 15
    }

    /// CIN census primary need codes.
    static let primaryNeeds = ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9", "N0"]

    /// CIN census factors identified at the end of assessment.
    static let assessmentFactors = [
        "1A", "1B", "2A", "2B", "3A", "3B", "3C", "4A", "4B", "5B", "6A", "7A", "10A", "11A", "12A",
        "13A", "14A", "15A", "16A", "17A", "18B", "19B", "21", "24A",
    ]
    enum Factor {
        static let alcoholChild = 0, alcoholParent = 1, drugChild = 2, drugParent = 3, daChild = 4, daParent = 5
        static let daOther = 6, mentalHealthChild = 7, mentalHealthParent = 8, learningDisabilityParent = 9
        static let disabilityChild = 10, youngCarer = 11, missing = 12, cse = 13, trafficking = 14, gangs = 15
        static let behaviour = 16, selfHarm = 17, neglect = 18, emotional = 19, physical = 20, sexual = 21
        static let noFactors = 22, cce = 23
    }

    static let referralOutcomes = [
        "No further action", "Early help", "Child and family assessment", "Strategy discussion - section 47", "Became looked after",
    ]

    /// CIN census initial category of abuse for a child protection plan.
    static let planCategories = ["NEG", "PHY", "SAB", "EMO", "MUL"]

    /// Safeguarding Adults Collection type, location, capacity, outcome.
    static let riskTypes = [
        "Neglect and acts of omission", "Financial or material", "Physical", "Psychological", "Organisational",
        "Sexual", "Discriminatory", "Domestic abuse", "Sexual exploitation", "Modern slavery", "Self-neglect",
    ]
    enum Risk {
        static let neglect: UInt8 = 0, financial: UInt8 = 1, physical: UInt8 = 2, psychological: UInt8 = 3, organisational: UInt8 = 4,
            sexual: UInt8 = 5, discriminatory: UInt8 = 6, domesticAbuse: UInt8 = 7, sexualExploitation: UInt8 = 8, modernSlavery: UInt8 = 9,
            selfNeglect: UInt8 = 10
    }
    static let selfNeglectTypes = ["Hoarding", "Lack of self-care", "Unsanitary or unsafe living conditions", "Refusing care or treatment"]
    static let riskLocations = [
        "Own home", "In the community", "In a community service", "Care home - nursing", "Care home - residential", "Hospital - acute",
        "Other",
    ]
    static let capacity = ["Yes", "No", "Not recorded"]
    static let riskOutcomes = ["Risk removed", "Risk reduced", "Risk remains", "No risk identified"]
    static let sourcesOfRisk = ["Service provider", "Other - known to individual", "Other - unknown to individual", "Self"]

    /// H-CLIC duty, reason for loss of last settled home, support needs.
    static let duties = ["Prevention", "Relief", "Main duty"]
    static let lossReasons = [
        "Family or friends no longer willing or able to accommodate", "End of private rented tenancy - assured shorthold",
        "Non-violent relationship breakdown with partner", "Domestic abuse - victim", "Other violence or harassment",
        "Eviction from supported housing", "Left institution - prison", "Left institution - hospital",
        "Rent arrears - social rented", "Left care (care leaver)", "Other",
    ]
    enum Loss {
        static let family: UInt8 = 0, privateRented: UInt8 = 1, relationship: UInt8 = 2, domesticAbuse: UInt8 = 3, violence: UInt8 = 4,
            supported: UInt8 = 5, prison: UInt8 = 6, hospital: UInt8 = 7, arrears: UInt8 = 8, careLeaver: UInt8 = 9, other: UInt8 = 10
    }
    static let supportNeeds = [
        "History of mental health problems", "Physical ill health and disability", "At risk of / has experienced domestic abuse",
        "Offending history", "Drug dependency needs", "Alcohol dependency needs", "Young person aged 18-25 requiring support",
        "Care leaver aged 18-20", "At risk of / has experienced sexual exploitation", "Learning disability",
    ]
    enum Need {
        static let mentalHealth = 0, physical = 1, domesticAbuse = 2, offending = 3, drugs = 4, alcohol = 5, youngPerson = 6,
            careLeaver = 7, exploitation = 8, learningDisability = 9
    }

    /// DfE reasons for suspension and permanent exclusion, and NEET activity codes.
    static let exclusionReasons = ["PA", "PP", "VA", "VP", "BU", "RA", "SM", "DA", "DM", "TH", "PD", "MT", "WP", "OT"]
    enum Reason {
        static let assaultPupil: UInt8 = 0, assaultAdult: UInt8 = 1, verbalPupil: UInt8 = 2, verbalAdult: UInt8 = 3, bullying: UInt8 = 4,
            drugAlcohol: UInt8 = 7, damage: UInt8 = 8, theft: UInt8 = 9, disruption: UInt8 = 10, weapon: UInt8 = 12, other: UInt8 = 13
    }
    static let neetActivities = [
        "610 NEET - seeking employment or training", "620 NEET - not available: illness", "630 NEET - not available: pregnancy",
        "640 NEET - not seeking",
    ]
    static let educationEvents = ["Suspension", "Permanent exclusion", "NEET"]

    static let earlyHelpReasons = [
        "Neglect", "Parental substance misuse", "Domestic abuse", "Parental mental health", "Child behaviour",
        "School attendance", "Financial difficulty", "Housing", "Child emotional wellbeing",
    ]
    enum EarlyHelp { static let neglect: UInt8 = 0, substance: UInt8 = 1, domesticAbuse: UInt8 = 2 }
    static let earlyHelpClosures = ["Needs met", "Stepped up to children's social care", "Family disengaged", "Moved out of area"]
}
