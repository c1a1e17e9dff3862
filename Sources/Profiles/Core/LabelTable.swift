/// The values a dimension can take, in the order a reader expects (months in time order, age bands
/// youngest first, wards alphabetically, "Not recorded" last).
struct LabelTable {
    private(set) var labels: [String] = []
    private var index: [String: Int] = [:]
    private var rank: [Int] = []

    /// Adds a label (once) with a sort rank; returns its index.
    @discardableResult
    mutating func add(_ label: String, rank r: Int = 0) -> Int {
        if let i = index[label] { return i }
        index[label] = labels.count
        labels.append(label)
        rank.append(r)
        return labels.count - 1
    }

    func find(_ label: String) -> Int? { index[label] }

    var count: Int { labels.count }

    /// Label indices in display order.
    var order: [Int] {
        labels.indices.sorted { (rank[$0], labels[$0]) < (rank[$1], labels[$1]) }
    }

    static let notRecorded = "Not recorded"
    /// An area dimension's labels for a place outside the area, and for one the geography does not know.
    static let outsideArea = "Outside the area"
    static let unknownPlace = "Unknown place"
    /// Labels that say a value is missing or elsewhere rather than name one (listed only when they
    /// occur, never as an empty row of a dimension that lists every value).
    static let special: Set<String> = [notRecorded, outsideArea, unknownPlace]
    /// Ranks that put special values after the ordinary ones.
    static let lastRank = 1_000_000
}
