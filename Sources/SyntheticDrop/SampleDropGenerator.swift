import CSVText
import Foundation
import Reference

/// Options for one synthetic drop.
public struct SampleDropOptions: Sendable {
    public var people: Int
    public var years: Int
    public var seed: UInt64
    /// The period ends on 31 March of this year (the end of a financial year).
    public var endYear: Int
    public var gzip: Bool
    /// The area's geography lookup (LSOA, ward, locality, IMD).
    public var geographyPath: String
    /// The comparator reference (areas.csv, population.csv): when given, the drop also gets
    /// synthetic comparator figures in `reference/comparators/` (see `SyntheticComparators`).
    public var comparatorsPath: String?
    /// Also write the looked-after children as the SSDA903 return (`ssda903_header.csv`,
    /// `ssda903_episodes.csv`); the other files are the same either way.
    public var ssda903 = false
    /// Also write each record's true person to this file (`LinkageTruth`), apart from the drop and
    /// never inside its folder; the drop is the same bytes either way. Nil: no truth is kept.
    public var truthPath: String? = nil
    /// Surnames from 30,000 invented ones as well as the 120 common ones (`--names wide`, the
    /// default): a large area's names then tell people apart about as real names do. Off
    /// (`--names common`, only the 120) for the bundled drop, which was made that way: at a million
    /// residents a full name with an age is then shared by two people, which no record can tell apart.
    public var wideNames = true

    public init(
        people: Int = 20_000, years: Int = 3, seed: UInt64 = 7, endYear: Int = 2026, gzip: Bool = false,
        geographyPath: String, comparatorsPath: String? = nil
    ) {
        self.comparatorsPath = comparatorsPath
        self.people = people
        self.years = years
        self.seed = seed
        self.endYear = endYear
        self.gzip = gzip
        self.geographyPath = geographyPath
    }
}

/// What a generation produced.
public struct SampleDropReport: Sendable {
    public let files: [WrittenFile]
    public let people: Int
    public let households: Int
    public let periodStart: String
    public let periodEnd: String
    public let seconds: Double
    /// People without a test-range NHS number because the range (about 909,000) ran out.
    public let peopleBeyondNHSTestRange: Int
    /// The linkage truth file (name: its path; rows: its truth rows), when asked for.
    public let truth: WrittenFile?

    public var datasetRows: Int { files.filter { !$0.name.hasPrefix("reference/") }.map(\.rows).reduce(0, +) }
    public var bytes: Int { files.map(\.bytes).reduce(0, +) }
}

/// Generates a synthetic partnership drop: one extract per dataset plus reference files, the same
/// bytes for the same options on every run.
public enum SampleDropGenerator {
    public static func generate(
        _ options: SampleDropOptions, into directory: String,
        progress: (String) -> Void = { _ in }
    ) throws -> SampleDropReport {
        try check(options, directory: directory)
        let clock = ContinuousClock()
        let began = clock.now
        let geography = try AreaGeography.load(path: options.geographyPath)
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: directory + "/reference", withIntermediateDirectories: true)
        } catch {
            throw SampleDropError.cannotWrite(directory)
        }
        let end = CivilDate.dayNumber(year: options.endYear, month: 3, day: 31)
        let start = CivilDate.dayNumber(year: options.endYear - options.years, month: 4, day: 1)

        progress("population: \(options.people) people in \(geography.lsoas.count) LSOAs")
        let population = Population(
            geography: geography, people: options.people, referenceDay: end, seed: options.seed, wideNames: options.wideNames)
        var builder = DropBuilder(population: population, start: start, end: end, seed: options.seed)
        let steps: [(String, (inout DropBuilder) -> Void)] = [
            ("offending, ASB and hate crime", { $0.addOffending() }),
            ("background activity", { $0.addBackground() }),
            ("domestic abuse", { $0.addDomesticAbuse() }),
            ("neglect", { $0.addNeglect() }),
            ("exploitation", { $0.addExploitation() }),
            ("transitions", { $0.addTransitions() }),
            ("self-neglect", { $0.addSelfNeglect() }),
            ("drug and alcohol misuse", { $0.addSubstanceMisuse() }),
            ("co-occurring mental health conditions", { $0.addCoOccurring() }),
        ]
        for (name, step) in steps {
            progress("events: \(name)")
            step(&builder)
        }
        let truth = options.truthPath == nil ? nil : LinkageTruth()
        let writer = ExtractWriter(
            directory: directory, gzip: options.gzip, population: population,
            seed: options.seed, end: end, truth: truth)
        progress("writing extracts")
        var files = try writeExtracts(builder, with: writer, ssda903: options.ssda903)
        files.append(contentsOf: try writer.writeReference())
        if let comparators = options.comparatorsPath {
            progress("synthetic comparator figures")
            files.append(
                try writeComparators(options, from: comparators, into: directory, excluding: Set(geography.lsoas.map(\.authorityCode))))
        }
        var truthFile: WrittenFile?
        if let truth, let path = options.truthPath {
            progress("linkage truth: \(truth.rows) rows")
            truthFile = try truth.write(to: path)
        }

        let elapsed = clock.now - began
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        func iso(_ d: Int) -> String {
            let c = CivilDate.civil(d)
            return String(format: "%04d-%02d-%02d", c.year, c.month, c.day)
        }
        return SampleDropReport(
            files: files, people: population.people.count, households: population.households.count,
            periodStart: iso(start), periodEnd: iso(end), seconds: seconds,
            peopleBeyondNHSTestRange: population.peopleWithoutNHSRange, truth: truthFile)
    }

    /// Refuses options out of range, and a truth file inside the drop's folder (ingest would read
    /// it as an unknown file) or in a folder that cannot be written.
    static func check(_ options: SampleDropOptions, directory: String) throws {
        guard options.people >= 100 else { throw SampleDropError.invalidOption("--people must be at least 100") }
        guard (1...20).contains(options.years) else { throw SampleDropError.invalidOption("--years must be between 1 and 20") }
        guard (2000...2100).contains(options.endYear) else {
            throw SampleDropError.invalidOption("--end-year must be between 2000 and 2100")
        }
        guard let truth = options.truthPath else { return }
        let file = resolvedPath(truth), folder = resolvedPath(directory)
        guard file != folder && !file.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/") else {
            throw SampleDropError.invalidOption(
                "--truth \(truth) is inside the drop folder \(directory), where ingest would read it as an unknown file: write it elsewhere"
            )
        }
        let parent = (file as NSString).deletingLastPathComponent
        guard FileManager.default.isWritableFile(atPath: parent) else { throw SampleDropError.cannotWrite(truth) }
    }

    /// `path` absolute, with `.` and `..` removed and the symbolic links of the part that exists
    /// resolved (the drop's folder may not exist yet).
    static func resolvedPath(_ path: String) -> String {
        var existing = URL(fileURLWithPath: path).standardizedFileURL
        var rest: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path) && existing.pathComponents.count > 1 {
            rest.insert(existing.lastPathComponent, at: 0)
            existing.deleteLastPathComponent()
        }
        var resolved = existing.resolvingSymlinksInPath()
        for part in rest { resolved.appendPathComponent(part) }
        return resolved.standardizedFileURL.path
    }

    /// The agencies' extracts, in the drop's order (and the SSDA903 return when asked for).
    private static func writeExtracts(_ builder: DropBuilder, with writer: ExtractWriter, ssda903: Bool) throws -> [WrittenFile] {
        var files: [WrittenFile] = []
        files.append(try writer.writeCrimes(builder.crimes))
        files.append(try writer.writeIncidents(builder.incidents))
        files.append(try writer.writeAttendances(builder.attendances))
        files.append(try writer.writeAdmissions(builder.admissions))
        files.append(try writer.writeTreatment(builder.treatments))
        files.append(try writer.writeReferrals(builder.referrals))
        files.append(try writer.writePlans(builder.plans))
        files.append(try writer.writeEnquiries(builder.enquiries))
        files.append(try writer.writeHomelessness(builder.homelessness))
        files.append(try writer.writeEducation(builder.education))
        files.append(try writer.writeEarlyHelp(builder.earlyHelp))
        if ssda903 { files.append(contentsOf: try writer.writeSSDA903(builder.referrals)) }
        return files
    }

    /// Synthetic comparator figures for the other areas of the comparator reference (not the
    /// drop's own, `own`), as a Fingertips file under `reference/comparators/`.
    private static func writeComparators(
        _ options: SampleDropOptions, from comparators: String, into directory: String,
        excluding own: Set<String>
    ) throws -> WrittenFile {
        let fm = FileManager.default
        let areas: AreaLookup
        do { areas = try AreaLookup(folder: comparators) } catch {
            throw SampleDropError.cannotWrite(comparators + " (unreadable comparator reference)")
        }
        let values = SyntheticComparators.values(
            areas: areas, endYear: options.endYear, seed: options.seed,
            excluding: own)
        let name = "reference/comparators/indicators-synthetic.csv" + (options.gzip ? ".gz" : "")
        // A copy in the other form (.csv / .csv.gz) would be read as well: it goes.
        let other = directory + "/reference/comparators/indicators-synthetic.csv" + (options.gzip ? "" : ".gz")
        if fm.fileExists(atPath: other) { try? fm.removeItem(atPath: other) }
        do {
            try fm.createDirectory(atPath: directory + "/reference/comparators", withIntermediateDirectories: true)
            try PublishedValue.writeFingertipsCSV(values, to: directory + "/" + name)
        } catch {
            throw SampleDropError.cannotWrite(directory + "/" + name)
        }
        return WrittenFile(name: name, rows: values.count, bytes: fileSize(directory + "/" + name))
    }
}
