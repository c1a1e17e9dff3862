import Statistics

extension ComparisonOutcome {
    /// How a comparator stands against the area, in the words of the `benchmark` table's
    /// comparisons, as a sentence reads: "higher than this area", but "similar to this area";
    /// empty when not compared (no interval or no local value).
    public var wordedAgainstThisArea: String {
        switch self {
        case .better, .worse, .higher, .lower: rawValue.lowercased() + " than this area"
        case .similar: "similar to this area"
        case .notCompared: ""
        }
    }
}
