import Columnar
import Definitions
import Foundation

/// What a column is taken to be, with the evidence for it in words (each becomes a comment of the
/// draft): its type (and date layout, code list, markers for "not known"), or the part of a
/// person's identity it holds.
struct ColumnGuess: Sendable {
    enum Identity: String, Sendable {
        case nhsNumber = "nhs_number", surname, forename, dateOfBirth = "date_of_birth", localID = "local_id"
    }

    let column: String
    var name: String
    var type: FieldType = .text
    var format: String? = nil
    /// The separator of a cell holding several codes (type codes).
    var separator: String? = nil
    var nullValues: [String] = []
    var identity: Identity? = nil
    /// The values and their counts, drafted as a code list (few values only).
    var codes: [(value: String, count: Int)] = []
    /// The spellings of yes and no seen (a flag).
    var yes: [String] = []
    var no: [String] = []
    var evidence: [String] = []

    /// Markers of "not known" a number or date column may hold, read as blank: a few short kinds,
    /// none a number, together under a tenth of the values.
    static func markers(_ e: ColumnEvidence) -> (values: [String], count: Int)? {
        guard !e.manyMarkers else { return nil }
        let m = e.markerValues
        let n = m.reduce(0) { $0 + $1.count }
        guard n * 10 <= e.filled, m.allSatisfy({ $0.value.count <= 12 }) else { return nil }
        return (m.map(\.value).sorted(), n)
    }

    init(column: String, name: String, evidence e: ColumnEvidence) {
        self.column = column
        self.name = name
        guard e.filled > 0 else {
            evidence = ["every value is blank"]
            return
        }
        let markers = Self.markers(e)
        let marked = markers?.count ?? 0
        if decideIdentity(e) { return }
        if let k = Self.dateLayout(e, allowing: marked) {
            decideDate(e, layout: k, markers: markers)
        } else if decideFlag(e) {
        } else if decideNumber(e, markers: markers) {
        } else if e.postcodes * 10 >= e.filled * 9 {
            type = .postcode
            evidence = ["\(n(e.postcodes)) of \(n(e.filled)) values are UK postcodes"]
        } else if e.lsoaShaped * 10 >= e.filled * 9 {
            type = .lsoa
            evidence = ["\(n(e.lsoaShaped)) of \(n(e.filled)) values are LSOA codes (E01/W01)"]
        } else {
            decideText(e)
        }
        if e.blank > 0 { evidence.append("\(n(e.blank)) blank") }
    }

    /// The first layout (most specific first) that reads every value but the markers.
    static func dateLayout(_ e: ColumnEvidence, allowing marked: Int) -> Int? {
        e.dates.indices.first { k in e.dates[k] > 0 && e.dates[k] + marked == e.filled && e.dates[k] * 2 >= e.filled }
    }

    private mutating func decideIdentity(_ e: ColumnEvidence) -> Bool {
        let header = column.lowercased()
        if e.validNHS * 2 >= e.filled && (header.contains("nhs") || e.validNHS * 10 >= e.filled * 9) {
            identity = .nhsNumber
            evidence = ["\(n(e.validNHS)) of \(n(e.filled)) values are valid NHS numbers (check digit, issued range)"]
            return true
        }
        let nameLike = e.nameShaped * 20 >= e.filled * 19
        if nameLike && Self.matches(header, #"surname|last ?_?name|family ?_?name"#) {
            identity = .surname
            evidence = ["a surname by its header; \(n(e.nameShaped)) of \(n(e.filled)) values are letters only"]
            return true
        }
        if nameLike && Self.matches(header, #"forename|first ?_?name|given ?_?name|christian"#) {
            identity = .forename
            evidence = ["a forename by its header; \(n(e.nameShaped)) of \(n(e.filled)) values are letters only"]
            return true
        }
        if Self.matches(header, #"dob|birth|d\.o\.b"#), let k = Self.dateLayout(e, allowing: 0) {
            identity = .dateOfBirth
            decideDate(e, layout: k, markers: nil)
            evidence[0] = "a date of birth by its header; " + evidence[0]
            return true
        }
        if Self.matches(
            header, #"^(person|client|child|patient|pupil|adult|applicant|subject|customer|service ?user)[ _]?(id|ref|no|number)?$"#)
            || Self.matches(header, #"^(upn|person_?id|client_?id|child_?id)$"#)
        {
            identity = .localID
            evidence = ["the agency's own person id by its header; \(e.manyDistinct ? "many" : n(e.distinct.count)) distinct values"]
            return true
        }
        return false
    }

    private mutating func decideDate(_ e: ColumnEvidence, layout k: Int, markers: (values: [String], count: Int)?) {
        type = .date
        format = DateCandidates.patterns[k]
        nullValues = markers?.values ?? []
        let range = "from \(DayNumber.isoString(e.firstDay[k])) to \(DayNumber.isoString(e.lastDay[k]))"
        var words = "\(n(e.dates[k])) of \(n(e.filled)) values parse as \(format!); \(range)"
        let monthFirst = DateCandidates.patterns.firstIndex(of: "MM/dd/yyyy")!
        if format!.hasPrefix("dd/") || format!.hasPrefix("d/") {
            if e.dates[monthFirst] == e.dates[k] && e.firstPartAbove12 == 0 {
                words +=
                    "; ambiguous: every value also reads month-first (MM/dd/yyyy), and none has a first part above 12; "
                    + "day-first is taken, as UK extracts write dates"
            } else if e.firstPartAbove12 > 0 {
                words += "; day-first: \(n(e.firstPartAbove12)) have a first part above 12"
            }
        } else if format!.hasPrefix("MM/") || format!.hasPrefix("M/") {
            words += "; month-first: \(n(e.secondPartAbove12)) have a second part above 12"
        }
        if format!.contains("yy") && !format!.contains("yyyy") { words += "; two-digit years: 70-99 are 19xx, 00-69 20xx" }
        if let markers, !markers.values.isEmpty {
            words += "; read as blank: " + markers.values.map { "'\($0)'" }.joined(separator: ", ") + " (\(n(markers.count)) values)"
        }
        evidence = [words]
    }

    private mutating func decideFlag(_ e: ColumnEvidence) -> Bool {
        let values = e.valueCounts
        guard !values.isEmpty, values.count <= 2 else { return false }
        let yesWords: Set<String> = ["y", "yes", "true", "t", "1"], noWords: Set<String> = ["n", "no", "false", "f", "0"]
        let y = values.filter { yesWords.contains($0.value.lowercased()) }, no = values.filter { noWords.contains($0.value.lowercased()) }
        guard y.count + no.count == values.count, !y.isEmpty else { return false }
        // 0 and 1 alone are a flag unless the header names a quantity (a count of 0 or 1 so far).
        if values.allSatisfy({ $0.value == "0" || $0.value == "1" }) && Self.matches(column.lowercased(), Self.quantityWords) {
            return false
        }
        type = .flag
        yes = y.map(\.value)
        self.no = no.map(\.value)
        evidence = [values.map { "'\($0.value)' \(n($0.count))" }.joined(separator: ", ") + ": yes or no"]
        return true
    }

    private mutating func decideNumber(_ e: ColumnEvidence, markers: (values: [String], count: Int)?) -> Bool {
        let marked = markers?.count ?? 0
        guard e.decimals > 0, e.decimals + marked == e.filled, e.leadingZeros == 0 else { return false }
        let whole = e.integers == e.decimals
        // A handful of small whole numbers with no quantity in the header: codes (SEX 1/2).
        let values = e.valueCounts
        let quantity = Self.matches(column.lowercased(), Self.quantityWords)
        // Few whole numbers under a header that names no quantity, or up to 50 under one that
        // names a code, are codes (SEX 1/2, ADMIMETH 11/21).
        let codeHint = Self.matches(column.lowercased(), #"code|type|meth|categor|status|source|group|class|reason|outcome|level"#)
        if whole, !values.isEmpty, !quantity, marked == 0, values.count <= 12 || (codeHint && values.count <= 50) {
            let why = codeHint ? "a header that names a code" : "a header that names no quantity"
            decideCode(e, values, why: "\(values.count) distinct whole numbers and \(why): codes")
            return true
        }
        type = whole ? .integer : .decimal
        nullValues = markers?.values ?? []
        var words = "\(n(e.decimals)) of \(n(e.filled)) values are \(whole ? "whole numbers" : "numbers"), "
        words += "\(Self.number(e.minimum)) to \(Self.number(e.maximum))"
        if let markers, !markers.values.isEmpty {
            words += "; read as blank: " + markers.values.map { "'\($0)'" }.joined(separator: ", ") + " (\(n(markers.count)) values)"
        }
        evidence = [words]
        return true
    }

    private mutating func decideText(_ e: ColumnEvidence) {
        if decideSeveralCodes(e) { return }
        let values = e.valueCounts
        if !values.isEmpty && (values.count <= 30 || values.count * 5 <= e.filled) && e.longest <= 100 {
            decideCode(e, values, why: "\(values.count) distinct \(values.count == 1 ? "value" : "values") over \(n(e.filled)) rows")
            return
        }
        type = .text
        let distinct = e.manyDistinct ? "more than \(ColumnEvidence.distinctCap)" : n(values.count)
        evidence = ["free text: \(distinct) distinct values, the longest \(n(e.longest)) characters"]
    }

    /// Cells holding several codes split at `;`, `|` or `,`: fewer, short codes than cells.
    private mutating func decideSeveralCodes(_ e: ColumnEvidence) -> Bool {
        for k in 0..<3 where e.withSeparator[k] > 0 && !e.partsOverflow[k] {
            let parts = e.partValues(k)
            guard !parts.isEmpty, parts.count <= 30, parts.allSatisfy({ $0.value.count <= 80 }),
                e.manyDistinct || parts.count < e.distinct.count
            else { continue }
            let sep = String(UnicodeScalar(ColumnEvidence.separators[k]))
            type = .codes
            separator = sep
            codes = parts
            evidence = [
                "\(n(e.withSeparator[k])) cells hold several codes separated by '\(sep)'; \(parts.count) distinct codes "
                    + "(drafted as a code list, each code as itself, with the rows holding it)"
            ]
            return true
        }
        return false
    }

    private mutating func decideCode(_ e: ColumnEvidence, _ values: [(value: String, count: Int)], why: String) {
        type = .code
        if values.count <= 30 { codes = values }
        evidence = [why + (values.count <= 30 ? " (drafted as a code list, each value as itself)" : "")]
    }

    /// Headers of numbers that are amounts, not codes.
    static let quantityWords =
        #"count|number|total|session|days|amount|value|score|year|period|population|easting|northing|latitude|longitude|(^|[^a-z])(age|num|rate|lat|long|lon)([^a-z]|$)|^age|age$"#

    /// What the area's geography says of a column of places: how many LSOA codes are the area's,
    /// and of which vintage; or that its values are the area's ward names.
    mutating func notePlaces(_ e: ColumnEvidence, hasGeography: Bool, wards: Set<String>) {
        guard hasGeography else { return }
        if type == .lsoa {
            let own = e.lsoaInArea - e.lsoa2021InArea
            var words =
                "\(n(e.lsoaInArea)) are the area's: \(n(own)) 2011 codes, \(n(e.lsoa2021InArea)) 2021 codes (read through their best fit)"
            if e.lsoa2021InArea > 0 {
                words += "; 2021 LSOAs"
            } else if own > 0 {
                words += "; 2011 LSOAs (no 2021 code of the area seen)"
            }
            evidence.insert(words, at: 1)
            return
        }
        let values = e.valueCounts
        guard type == .code || type == .text, !values.isEmpty, !wards.isEmpty else { return }
        let named = values.filter { wards.contains($0.value.lowercased()) }.reduce(0) { $0 + $1.count }
        if named * 10 >= e.filled * 9 {
            evidence.append(
                "\(n(named)) of \(n(e.filled)) values are ward names of the area (a breakdown by ward reads an LSOA or postcode)")
        }
    }

    static func matches(_ s: String, _ pattern: String) -> Bool { s.range(of: pattern, options: .regularExpression) != nil }

    static func number(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(format: "%g", v) }
}

/// A count with thousands separators (9,853).
func n(_ v: Int) -> String {
    let digits = String(abs(v))
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return (v < 0 ? "-" : "") + out
}
