import Definitions
import Statistics

/// Which test each published figure uses, in words, for the reports' methods section and
/// `profiler profiles explain`: the same choices `ProfileBuild.change` and `AreaComparison` make.
public enum MethodNotes {
    /// The test of a measure of success's change since last year.
    public static func successTest(_ m: SuccessMeasure) -> String {
        switch SuccessChange.test(for: m) {
        case .none(let why): return "not tested: " + why
        case .proportions:
            return "difference of the two years' proportions with its interval: " + YearOnYearChange.Method.newcombeHybridScore.rawValue
        case .counts: return "ratio of the two years' counts with its interval: " + YearOnYearChange.Method.exactConditional.rawValue
        }
    }

    /// How a table's areas are compared with the whole area, if they are: a table of one ward,
    /// locality or deprivation breakdown with a rate.
    public static func areaComparison(_ t: TableDefinition) -> String? {
        guard t.by.count == 1, AreaComparison.isArea(t.by[0]),
            t.measures.contains(where: { MeasureLibrary.kind($0) is any RateMeasure })
        else { return nil }
        return areaComparisonMethod + "; and, where the population is given by age and at least 80% of the records have an age, "
            + forAgeMethod
    }

    static let forAgeMethod =
        "allowing for age: the area's records against those expected at the whole area's own rates in each age band of the "
        + "population (an indirectly standardised ratio, PHEindicatormethods calculate_ISRatio; records without an age shared "
        + "among the bands as those with one are), significant where 1 is outside the interval of its records (exact below 10, "
        + "Byar's from 10) over those expected, as assign_funnel_significance for ratios"

    static let areaComparisonMethod =
        "each area's rate against the whole area's by funnel plot control limits at 95% and 99.8% "
        + "(PHEindicatormethods assign_funnel_significance for crude rates: the area's Poisson interval, exact below 10 "
        + "events and Byar's from 10, against the average rate of the areas)"

    /// How a table's means are worked out, if it has any.
    public static func mean(_ t: TableDefinition) -> String? {
        guard t.measures.contains(where: { MeasureLibrary.kind($0) is Mean }) else { return nil }
        return meanMethod + "; withheld with its interval where its number of values would be (a small count)"
    }

    static let meanMethod =
        "the mean of the rows with a value (a date field: the days from the row's date to it, a date before it left out), "
        + "with its 95% interval by Student's t (PHEindicatormethods phe_mean: mean ± t(0.975, n−1)·s/√n)"

    /// The methods of every kind of figure, one paragraph each.
    public static let general: [(figure: String, method: String)] = [
        (
            "Change since last year (measures of success, scorecard)",
            "A count or a rate: the ratio of this year's count to last year's, with the exact conditional test on the "
                + "binomial split of the two counts (Clopper-Pearson limits; the population is the same both years). A share: "
                + "the difference of the two proportions with Newcombe's hybrid score interval (method 10). Significantly better "
                + "or worse when the 95% interval excludes no change, and at 99.8% when that interval does too; better or worse "
                + "by which way is good for the measure. A total of a field is not tested."
        ),
        (
            "Wards, localities and deprivation deciles against the whole area",
            "Each area's " + areaComparisonMethod.dropFirst("each area's ".count) + ". Where a count is withheld, so is its comparison."
        ),
        (
            "The same comparison allowing for age (columns ending vs_area_for_age; the map)",
            "An area of many young (or old) residents can have a high crude rate only because of its ages. Where the population "
                + "file gives residents by age band and at least 80% of the year's records have an age, each area is also judged "
                + forAgeMethod + ". A rate per children is standardised over the children's bands. The map is coloured by this "
                + "comparison where a table has it; the funnel plot shows crude rates. The expected records are not published: with "
                + "the residents by age, they would give away the area's records in each age band."
        ),
        (
            "Means (columns starting mean_)",
            "The " + meanMethod.dropFirst(4) + ". Withheld with its interval where its number of values would be, as a "
                + "small count is: a mean of few values gives them away."
        ),
        (
            "How the area compares with other authorities",
            "Each local figure's 95% and 99.8% intervals against the benchmark's value, as Fingertips compares them, with "
                + "the area's rank among its nearest neighbours."
        ),
    ]
}
