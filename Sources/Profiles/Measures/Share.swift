import Definitions

/// Each group's records as a percentage of the table's records in the year.
struct Share: FromRecordsMeasure {
    static let grammar = MeasureGrammar("share")

    func compute(_ input: MeasureInput) -> [Double?] {
        let total = Double(input.records.reduce(0, +))
        return input.records.map { total == 0 ? nil : 100 * Double($0) / total }
    }
}
