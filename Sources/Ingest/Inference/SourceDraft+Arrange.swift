import Definitions
import Foundation

extension SourceDraft {
    /// Headers of the fields that describe a person: age (`Age`, `V_Age`, `STARTAGE`, `AgeAtReferral`),
    /// sex, gender, ethnicity (`ETHNOS`), postcode; not a percentage or an average.
    static func describesPerson(_ column: String) -> Bool {
        let c = column.lowercased()
        if ColumnGuess.matches(c, #"percentage|average|coverage|mileage|usage|stage|message|page|image"#) { return false }
        return ColumnGuess.matches(c, #"(^|[^a-z])age|startage|age([^a-z]|$)|sex|gender|ethnic|ethnos|postcode"#)
    }

    /// Puts each guess where it belongs: a person's identity or fields, a field of the row, or
    /// left out; then the event date, the record id, the encoding and the rows' shape.
    mutating func arrange(_ guesses: [ColumnGuess], evidence e: FileEvidence, threads: Int) {
        var byKey: [String: [ColumnGuess]] = [:]
        var keys: [String] = []
        var localIDs: [ColumnGuess] = []
        for g in guesses where g.identity != nil {
            if g.identity == .localID {
                localIDs.append(g)
                continue
            }
            let k = Self.personKey(g.column)
            if byKey[k] == nil { keys.append(k) }
            byKey[k, default: []].append(g)
        }
        // Columns with no prefix (`NHSNumber`) belong to the one person with a prefix (`ApplicantDOB`),
        // if one, when they hold other parts of an identity (`Surname` beside `Suspect_Surname` is another person).
        let named = keys.filter { !$0.isEmpty }
        if named.count == 1, let plain = byKey[""],
            Set(plain.compactMap(\.identity)).isDisjoint(with: byKey[named[0]]!.compactMap(\.identity))
        {
            byKey[named[0]]! += plain
            byKey[""] = nil
            keys.removeAll { $0.isEmpty }
        }
        // A local id belongs to the one person there is, or to the person without a prefix.
        for id in localIDs {
            let k = keys.count == 1 ? keys[0] : ""
            if byKey[k] == nil { keys.append(k) }
            byKey[k, default: []].append(id)
        }
        var roleOfKey: [String: Int] = [:]
        for k in keys {
            // One column of each kind of identity: a second (a UPN beside a child id) is left out.
            var identity: [ColumnGuess] = []
            for var g in byKey[k]! {
                if identity.contains(where: { $0.identity == g.identity }) {
                    g.evidence.append("a second \(g.identity!.rawValue) column for the same person")
                    leftOut.append(g)
                } else {
                    identity.append(g)
                }
            }
            let has = Set(identity.compactMap(\.identity))
            guard has.contains(.nhsNumber) || has.contains(.localID) || has.isSuperset(of: [.surname, .forename, .dateOfBirth]) else {
                leftOut += identity
                continue
            }
            let local = identity.first { $0.identity == .localID }.map { Self.personKey($0.column) }
            let name = !k.isEmpty ? k : (local.flatMap { $0.isEmpty ? nil : $0 } ?? "person")
            roleOfKey[k] = people.count
            people.append(Person(name: name, identity: identity))
        }
        for g in guesses where g.identity == nil {
            let k = Self.personKey(g.column)
            // A field describing a person goes to the person its header's prefix names, or to the only one.
            if Self.describesPerson(g.column), let r = roleOfKey[k] ?? (people.count == 1 ? 0 : nil) {
                var field = g
                let rest =
                    roleOfKey[k] == nil ? "" : g.column.replacingOccurrences(of: k, with: "", options: [.caseInsensitive, .anchored])
                // Unique within the person (`Sex` and `V_Sex` of one person are sex and sex_2).
                var taken = Set(people[r].fields.map(\.name))
                field.name = Self.fieldName(rest.contains(where: \.isLetter) ? rest : g.column, taken: &taken)
                people[r].fields.append(field)
            } else {
                fields.append(g)
            }
        }
        chooseEventDate()
        chooseRecordID(e, threads: threads)
        describeShape(e)
        namePeopleApartFromFields()
        let formats = (fields + people.flatMap { $0.fields + $0.identity }).compactMap(\.format)
        dateFormat = Dictionary(grouping: formats, by: { $0 }).max { $0.value.count < $1.value.count }?.key
    }

    /// A person role whose header prefix gave it a field's name (`NHSNumberDate` makes a person
    /// `date` beside the event date `date`) is renamed `<name>_person`: the loader refuses a role
    /// and a field of one name.
    private mutating func namePeopleApartFromFields() {
        var taken = Set(fields.map(\.name))
        for r in people.indices {
            guard taken.contains(people[r].name) else {
                taken.insert(people[r].name)
                continue
            }
            var name = people[r].name + "_person", n = 2
            while taken.contains(name) || people.contains(where: { $0.name == name }) {
                name = people[r].name + "_person_\(n)"
                n += 1
            }
            people[r].name = name
            taken.insert(name)
        }
    }

    /// The date the profiles count events by: a date field whose header says it is when the
    /// event happened, else the first date field.
    private mutating func chooseEventDate() {
        let dates = fields.indices.filter { fields[$0].type == .date }
        guard !dates.isEmpty, !fields.contains(where: { $0.name == "date" && $0.type != .date }) else { return }
        let hinted = dates.first {
            ColumnGuess.matches(
                fields[$0].column.lowercased(), #"date|received|recorded|start|month|decom|referral|approach|admission|attendance|reported"#
            )
        }
        let k = hinted ?? dates[0]
        if let clash = fields.firstIndex(where: { $0.name == "date" }), clash != k { fields[clash].name = "date_2" }
        fields[k].name = "date"
        fields[k].evidence.append(
            "taken as the event date the profiles count by" + (dates.count > 1 ? " (of \(dates.count) date columns)" : ""))
    }

    private mutating func chooseRecordID(_ e: FileEvidence, threads: Int) {
        let unique = e.header.indices.filter { e.columns[$0].hashes != nil && e.columns[$0].filled == e.rows && e.rows > 0 }
        let hinted = unique.first { ColumnGuess.matches(e.header[$0].lowercased(), #"(^|[^a-z])(id|ref|urn|key)$|ref|number|^id"#) }
        if let k = hinted ?? unique.first {
            recordID = ([e.header[k]], "unique on all \(n(e.rows)) rows, never blank")
        } else if let (a, b) = PairUniqueness.find(e.files, columns: PairUniqueness.candidates(e), threads: threads) {
            recordID = ([e.header[a], e.header[b]], "no column alone is unique; together unique on all \(n(e.rows)) rows, never blank")
        }
    }

    private mutating func describeShape(_ e: FileEvidence) {
        let invalid = e.columns.reduce(0) { $0 + $1.notUTF8 }
        if invalid > 0 {
            encoding = .windows1252
            encodingWhy = "\(n(invalid)) values are not valid UTF-8: read as Windows-1252 (check accents and £ signs)"
        }
        if e.shortRows > 0 && e.shortRows == e.oneShortRows && e.shortRows == e.rows {
            shortRows = "pad"
            shapeNotes.append("every row has one field fewer than the header (as Fingertips exports): padded with a blank")
        } else if e.shortRows > 0 {
            shapeNotes.append(
                "\(n(e.shortRows)) rows have fewer fields than the header (the first at line \(e.firstShortLine ?? 0)): they will be rejected"
            )
        }
        if e.longRows > 0 {
            shapeNotes.append(
                "\(n(e.longRows)) rows have more fields than the header (the first at line \(e.firstLongLine ?? 0)): they will be rejected")
        }
    }
}
