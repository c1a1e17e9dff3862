/// The people read by one part of a source: the identifiers it met and, per role, each row's codes
/// into that pool. Once the part is read, the pool's identifiers are replaced by their pseudonyms.
struct PeoplePart {
    let pool: IdentifierPool
    var pseudonyms = PoolPseudonyms(bytes: [0], nhs: [0])
    let roles: [RoleBuilder]
    /// Rows of the source's table these belong to.
    var rows: Range<Int>
}

extension Range<Int> {
    func shifted(by n: Int) -> Range<Int> { (lowerBound + n)..<(upperBound + n) }
}
