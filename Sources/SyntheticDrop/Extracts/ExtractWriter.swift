import CSVText
import Foundation

/// Writes the agencies' extracts of one synthetic drop into a folder.
struct ExtractWriter {
    let directory: String
    let gzip: Bool
    let population: Population
    let identity: IdentityPresenter
    let seed: UInt64
    /// Last day of the period: nothing is dated after it.
    let end: Int
    /// Where each record's true person is noted, when asked for (`--truth`); nil, nothing is.
    let truth: LinkageTruth?

    init(directory: String, gzip: Bool, population: Population, seed: UInt64, end: Int, truth: LinkageTruth? = nil) {
        self.truth = truth
        self.directory = directory
        self.gzip = gzip
        self.population = population
        self.identity = IdentityPresenter(population: population)
        self.seed = seed
        self.end = end
    }

    func fileName(_ dataset: Dataset) -> String { dataset.rawValue + (gzip ? ".csv.gz" : ".csv") }

    /// Opens the dataset's file, removing a stale copy in the other form (`.csv` / `.csv.gz`) so a
    /// drop never holds two versions of one dataset.
    func open(_ dataset: Dataset) throws -> CSVFileWriter {
        let other = directory + "/" + dataset.rawValue + (gzip ? ".csv" : ".csv.gz")
        if FileManager.default.fileExists(atPath: other) {
            do { try FileManager.default.removeItem(atPath: other) } catch { throw SampleDropError.cannotWrite(other) }
        }
        return try CSVFileWriter(path: directory + "/" + fileName(dataset))
    }

    /// Closes the dataset's file (and its rows of the truth, when noted).
    func finish(_ w: CSVFileWriter, _ dataset: Dataset) throws -> WrittenFile {
        try w.close()
        let path = directory + "/" + fileName(dataset)
        try truth?.finish(file: fileName(dataset), at: path, records: w.rows)
        return WrittenFile(name: fileName(dataset), rows: w.rows, bytes: fileSize(path))
    }

    /// Opens a file that is not one of the drop's usual datasets (the SSDA903 files), as `open`.
    func open(stem: String) throws -> CSVFileWriter {
        let other = directory + "/" + stem + (gzip ? ".csv" : ".csv.gz")
        if FileManager.default.fileExists(atPath: other) {
            do { try FileManager.default.removeItem(atPath: other) } catch { throw SampleDropError.cannotWrite(other) }
        }
        return try CSVFileWriter(path: directory + "/" + stem + (gzip ? ".csv.gz" : ".csv"))
    }

    func finish(_ w: CSVFileWriter, stem: String) throws -> WrittenFile {
        try w.close()
        let name = stem + (gzip ? ".csv.gz" : ".csv")
        try truth?.finish(file: name, at: directory + "/" + name, records: w.rows)
        return WrittenFile(name: name, rows: w.rows, bytes: fileSize(directory + "/" + name))
    }

    func rowRandom(_ dataset: Dataset, _ row: Int) -> SeededRandom {
        SeededRandom(seed: seed, stream: UInt64(row), purpose: dataset.identityStream)
    }

    func lsoaCode(_ index: Int) -> String { population.geography.lsoas[index].code }

    func postcode(_ person: Int) -> String { population.postcodes.codes[Int(population.people[person].postcode)] }
}
