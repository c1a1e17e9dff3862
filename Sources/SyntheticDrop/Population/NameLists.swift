/// Names for synthetic people: common surnames of the English-Welsh border (weighted to the Welsh
/// names frequent in Shropshire) and common forenames by decade of birth. None refers to anyone.
enum NameLists {
    static let surnames = [
        "Smith", "Jones", "Williams", "Davies", "Evans", "Roberts", "Hughes", "Edwards", "Morris", "Price",
        "Griffiths", "Taylor", "Brown", "Wilson", "Thomas", "Johnson", "Lewis", "Walker", "Wright", "Wood",
        "Green", "Hall", "Thompson", "Harris", "Jackson", "Clarke", "Turner", "Hill", "Moore", "White",
        "Cooper", "Ward", "Martin", "Baker", "Bennett", "Owen", "Lloyd", "Morgan", "Powell", "Pugh",
        "Bowen", "Jenkins", "Phillips", "James", "Watkins", "Parry", "Bradley", "Corbett", "Downes", "Onions",
        "Mansell", "Preece", "Vaughan", "Gough", "Tudor", "Beddoes", "Ellis", "Humphreys", "Maddox", "Rowlands",
        "Allen", "King", "Scott", "Adams", "Mitchell", "Carter", "Shaw", "Lee", "Hughes", "Palmer",
        "Holmes", "Webb", "Fisher", "Barker", "Mason", "Chapman", "Kelly", "Marshall", "Harrison", "Gibson",
        "Dawson", "Fletcher", "Hunt", "Stevens", "Butler", "Knight", "Russell", "Pearce", "Atkinson", "Spencer",
        "O'Brien", "O'Connor", "O'Neill", "McDonald", "McKenzie", "MacLeod", "D'Souza", "Smith-Jones", "Lloyd-Williams", "Rees-Mogg",
        "Van Der Merwe", "De Silva", "Kowalski", "Nowak", "Wiśniewski", "Patel", "Khan", "Singh", "Begum", "Ahmed",
        "Okafor", "Mensah", "Chen", "Wang", "Nguyen", "Hussain", "Kaur", "Ali", "Popescu", "Silva",
        "Bird", "Cartwright", "Dodd", "Everall", "Furber", "Gittins", "Hotchkiss", "Jervis", "Lowe", "Meredith",
        "Nevett", "Oakley", "Plimmer", "Rogers", "Tonks", "Upton", "Whitefoot", "Yapp", "Astley", "Bebb",
    ]
    static let femaleForenames = [
        "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie", "Sophia",
        "Grace", "Freya", "Evie", "Poppy", "Ella", "Chloe", "Emily", "Jessica", "Sophie", "Lucy",
        "Hannah", "Megan", "Charlotte", "Lauren", "Rebecca", "Amy", "Laura", "Sarah", "Emma", "Gemma",
        "Rachel", "Nicola", "Kelly", "Claire", "Michelle", "Lisa", "Joanne", "Helen", "Karen", "Julie",
        "Susan", "Tracey", "Angela", "Deborah", "Alison", "Jacqueline", "Margaret", "Patricia", "Carol", "Linda",
        "Christine", "Barbara", "Sandra", "Janet", "Elizabeth", "Mary", "Jean", "Dorothy", "Joan", "Eileen",
        "Zainab", "Aisha", "Maja", "Zofia", "Ana", "Priya",
    ]
    static let maleForenames = [
        "Oliver", "George", "Noah", "Arthur", "Leo", "Muhammad", "Harry", "Oscar", "Archie", "Henry",
        "Jack", "Charlie", "Thomas", "Jacob", "Alfie", "Joshua", "William", "James", "Daniel", "Samuel",
        "Ryan", "Liam", "Callum", "Jordan", "Connor", "Matthew", "Luke", "Adam", "Craig", "Lee",
        "Christopher", "Mark", "Paul", "Andrew", "Stephen", "David", "Richard", "Darren", "Jason", "Wayne",
        "Michael", "Ian", "Simon", "Gary", "Neil", "Robert", "Peter", "John", "Anthony", "Kevin",
        "Brian", "Keith", "Alan", "Colin", "Graham", "Trevor", "Derek", "Kenneth", "Roy", "Geoffrey",
        "Piotr", "Tomasz", "Mohammed", "Ahmed", "Arjun", "Kwame",
    ]

    /// Surnames beyond the common ones (`sample --names wide`): 30,000 invented from English
    /// place-name parts (`Ashenford`, `Whitbury`), none of them anyone's, so that a large area's
    /// people are told apart by their names about as well as real ones are.
    static let inventedCount = 30_000
    private static let starts = [
        "Ash", "Brad", "Carr", "Dun", "Ell", "Fair", "Gold", "Hart", "Ing", "Kirk", "Lang", "Mar", "Nor", "Oak", "Pen", "Rad",
        "Sel", "Thorn", "Up", "Wal", "Whit", "Wins", "Bel", "Chal", "Dal", "East", "Fen", "Grims", "Hol", "Lid", "Mil", "New",
        "Ott", "Pres", "Rams", "Shel", "Tad", "Wes", "Yar", "Brom",
    ]
    private static let middles = [
        "", "en", "er", "ing", "ley", "ham", "den", "wick", "ton", "by", "ell", "ock", "ridge", "stead", "hurst", "mar", "wood",
        "bourne", "lock", "ow", "combe", "ey", "ford", "well", "ind", "al", "ith", "old", "ar", "ick",
    ]
    private static let ends = [
        "ford", "by", "ton", "well", "more", "ham", "ley", "wood", "field", "worth", "bury", "don", "shaw", "ridge", "cott", "low",
        "mere", "ster", "wick", "thorpe", "gate", "hill", "land", "stone", "brook",
    ]

    /// The surname of a person's surname number: the common list's, then the invented ones'.
    static func surname(_ index: Int16) -> String {
        let i = Int(index)
        guard i >= surnames.count else { return surnames[i] }
        let k = i - surnames.count
        let start = starts[k % starts.count], middle = middles[(k / starts.count) % middles.count]
        return start + middle + ends[(k / (starts.count * middles.count)) % ends.count]
    }

    /// A surname number: one of the common ones (the first `surnames.count`) three times in ten,
    /// else an invented one (about the share of the most common 120 surnames in England and Wales).
    static func wideSurname(_ rng: inout SeededRandom) -> Int16 {
        rng.chance(0.3) ? Int16(rng.int(0..<surnames.count)) : Int16(surnames.count + rng.int(0..<inventedCount))
    }
}
