import Testing

/// Expects `actual` within a relative tolerance of `expected` (exact equality when `expected` is 0).
func expectClose(
    _ actual: Double, _ expected: Double, rel: Double = 1e-10,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        abs(actual - expected) <= rel * abs(expected),
        "\(actual) differs from \(expected) by more than \(rel) relative", sourceLocation: sourceLocation)
}

/// `expectClose` for an optional that must be present.
func expectClose(
    _ actual: Double?, _ expected: Double, rel: Double = 1e-10,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let actual else {
        Issue.record("expected \(expected), got nil", sourceLocation: sourceLocation)
        return
    }
    expectClose(actual, expected, rel: rel, sourceLocation: sourceLocation)
}
