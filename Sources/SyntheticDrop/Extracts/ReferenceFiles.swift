import CSVText
import Foundation

/// The reference files of a drop: the area's geography, the synthetic postcode lookup, population
/// denominators by LSOA, sex and five-year age band, and where services are.
extension ExtractWriter {
    func writeReference() throws -> [WrittenFile] {
        [try writeGeography(), try writePostcodes(), try writePopulation(), try writeServices()]
    }

    private func referenceFile(_ name: String) throws -> CSVFileWriter {
        try CSVFileWriter(path: directory + "/reference/" + name)
    }

    private func done(_ w: CSVFileWriter, _ name: String) throws -> WrittenFile {
        try w.close()
        return WrittenFile(name: "reference/" + name, rows: w.rows, bytes: fileSize(directory + "/reference/" + name))
    }

    private func writeGeography() throws -> WrittenFile {
        let w = try referenceFile("geography.csv")
        w.header(["lsoa_code", "lsoa_name", "ward_code", "ward_name", "locality", "lad_code", "lad_name", "imd_rank", "imd_decile"])
        for l in population.geography.lsoas {
            w.field(l.code); w.field(l.name); w.field(l.wardCode); w.field(l.wardName); w.field(l.locality)
            w.field(l.authorityCode); w.field(l.authorityName); w.field(l.imdRank); w.field(l.imdDecile)
            w.endRow()
        }
        return try done(w, "geography.csv")
    }

    private func writePostcodes() throws -> WrittenFile {
        let w = try referenceFile("postcodes.csv")
        w.header(["postcode", "lsoa_code"])
        for (i, code) in population.postcodes.codes.enumerated() {
            w.field(code)
            w.field(lsoaCode(Int(population.postcodes.lsoaOfCode[i])))
            w.endRow()
        }
        return try done(w, "postcodes.csv")
    }

    static let ageBands = [
        "0-4", "5-9", "10-14", "15-17", "18-24", "25-29", "30-34", "35-39", "40-44", "45-49",
        "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85+",
    ]

    static func ageBand(_ age: Int) -> Int {
        switch age {
        case ..<15: return max(0, age / 5)
        case ..<18: return 3
        case ..<25: return 4
        case ..<85: return 5 + (age - 25) / 5
        default: return 17
        }
    }

    /// Residents at the middle of the last year (30 September), the usual mid-year denominator.
    private func writePopulation() throws -> WrittenFile {
        let lsoaCount = population.geography.lsoas.count
        let bands = Self.ageBands.count
        var counts = [Int](repeating: 0, count: lsoaCount * 2 * bands)
        let c = CivilDate.civil(end)
        let midYear = CivilDate.dayNumber(year: c.month >= 10 ? c.year : c.year - 1, month: 9, day: 30)
        for person in population.people where Int(person.birth) <= midYear {
            let age = CivilDate.age(birth: Int(person.birth), on: midYear)
            counts[(Int(person.lsoa) * 2 + (person.female ? 1 : 0)) * bands + Self.ageBand(age)] += 1
        }
        let w = try referenceFile("population.csv")
        w.header(["area_code", "sex", "age_band", "population", "mid_year"])
        for l in 0..<lsoaCount {
            for s in 0..<2 {
                for b in 0..<bands {
                    w.field(lsoaCode(l)); w.field(s == 1 ? "F" : "M"); w.field(Self.ageBands[b])
                    w.field(counts[(l * 2 + s) * bands + b]); w.field(CivilDate.civil(midYear).year)
                    w.endRow()
                }
            }
        }
        return try done(w, "population.csv")
    }

    /// Services by type in the main towns, each with the category of the priority it serves (as
    /// profiles name it in `sites:` and `ward_with_site:`): each is placed in an LSOA of the named
    /// town's locality. Drug and alcohol services have hubs in the five market towns, satellite
    /// clinics in smaller towns, needle and syringe programmes in pharmacies, and a recovery café.
    private func writeServices() throws -> WrittenFile {
        let da = "drug_and_alcohol"
        let services: [(String, String, String, String)] = [
            ("Drug and alcohol treatment hub", "Shrewsbury", "Shrewsbury", da),
            ("Drug and alcohol treatment hub", "Oswestry", "North West", da),
            ("Drug and alcohol treatment hub", "Market Drayton", "North East", da),
            ("Drug and alcohol treatment hub", "Ludlow", "South", da),
            ("Drug and alcohol treatment hub", "Bridgnorth", "East", da),
            ("Emergency department", "Royal Shrewsbury Hospital", "Shrewsbury", "health"),
            ("Minor injuries unit", "Bridgnorth", "East", "health"),
            ("Minor injuries unit", "Whitchurch", "North East", "health"),
            ("Minor injuries unit", "Ludlow", "South", "health"),
            ("Domestic abuse service", "Shrewsbury", "Shrewsbury", "domestic_abuse"),
            ("Domestic abuse refuge", "Undisclosed (county)", "Shrewsbury", "domestic_abuse"),
            ("Family hub", "Shrewsbury", "Shrewsbury", "children_and_families"),
            ("Family hub", "Oswestry", "North West", "children_and_families"),
            ("Family hub", "Whitchurch", "North East", "children_and_families"),
            ("Family hub", "Ludlow", "South", "children_and_families"),
            ("Family hub", "Shifnal", "East", "children_and_families"),
            ("Housing options", "Shrewsbury", "Shrewsbury", "housing"),
            ("Police station", "Shrewsbury", "Shrewsbury", "police"), ("Police station", "Oswestry", "North West", "police"),
            ("Police station", "Market Drayton", "North East", "police"), ("Police station", "Ludlow", "South", "police"),
            ("Police station", "Bridgnorth", "East", "police"),
            ("Young people's substance misuse service", "Shrewsbury", "Shrewsbury", da),
            ("Drug and alcohol satellite clinic", "Whitchurch", "North East", da),
            ("Drug and alcohol satellite clinic", "Wem", "North East", da),
            ("Drug and alcohol satellite clinic", "Church Stretton", "South", da),
            ("Drug and alcohol satellite clinic", "Shifnal", "East", da),
            ("Needle and syringe programme (pharmacy)", "Shrewsbury town centre", "Shrewsbury", da),
            ("Needle and syringe programme (pharmacy)", "Harlescott", "Shrewsbury", da),
            ("Needle and syringe programme (pharmacy)", "Oswestry", "North West", da),
            ("Needle and syringe programme (pharmacy)", "Market Drayton", "North East", da),
            ("Needle and syringe programme (pharmacy)", "Ludlow", "South", da),
            ("Recovery café", "Shrewsbury", "Shrewsbury", da),
        ]
        let w = try referenceFile("services.csv")
        w.header(["service_id", "service_type", "category", "name", "locality", "lsoa_code", "ward_name"])
        for (i, s) in services.enumerated() {
            var rng = SeededRandom(seed: seed, stream: UInt64(i), purpose: 0x5E5)
            let candidates = population.geography.lsoas.indices.filter { population.geography.lsoas[$0].locality == s.2 }
            // The densest, most central LSOAs of the locality: pick among the most deprived third.
            let sorted = candidates.sorted { population.geography.lsoas[$0].imdRank < population.geography.lsoas[$1].imdRank }
            let l = sorted.isEmpty ? 0 : sorted[rng.int(0..<max(1, sorted.count / 3))]
            w.field("SVC\(String(format: "%03d", i + 1))"); w.field(s.0); w.field(s.3); w.field("\(s.0) - \(s.1)"); w.field(s.2)
            w.field(lsoaCode(l)); w.field(population.geography.lsoas[l].wardName)
            w.endRow()
        }
        return try done(w, "services.csv")
    }
}
