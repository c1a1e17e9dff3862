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
}
