package main

// The vocabularies the generator draws from. Lists are in falling order of
// frequency where it matters: they are sampled with Zipf-like weights, so
// the first entries ("John", "Smith", "Love") are common and the last ones
// rare, as in real catalogs.

// Genre names as IMDb spells them, with their weights per genre drawn.
// The weights give about a third of the movies Drama and a sixth Comedy
// and leave a long tail, as in IMDb's feature films.
var genres = []struct {
	name   string
	weight float64
}{
	{"Drama", 170}, {"Comedy", 80}, {"Documentary", 70}, {"Romance", 45}, {"Action", 45},
	{"Thriller", 42}, {"Crime", 38}, {"Horror", 38}, {"Adventure", 25}, {"Mystery", 18},
	{"Family", 16}, {"Biography", 15}, {"Fantasy", 14}, {"History", 13}, {"Music", 12},
	{"Sci-Fi", 11}, {"Animation", 9}, {"War", 9}, {"Musical", 7}, {"Western", 6},
	{"Sport", 6}, {"Film-Noir", 2}, {"News", 1.5}, {"Reality-TV", 0.5}, {"Talk-Show", 0.3},
	{"Game-Show", 0.2},
}

// titleWords are ordinary English title words, common first.
var titleWords = []string{
	"Love", "Night", "Life", "Man", "Day", "Story", "Girl", "Time", "World", "Home",
	"Death", "Dead", "Black", "House", "Blood", "Last", "Little", "Heart", "Secret", "Dark",
	"Woman", "Red", "Road", "City", "Lost", "Return", "King", "Devil", "Family", "War",
	"Summer", "Boy", "Dream", "Golden", "Game", "Queen", "Year", "Island", "Wild", "Song",
	"Big", "Street", "Stranger", "Ghost", "Lady", "Children", "Moon", "Fire", "River", "White",
	"Shadow", "Angel", "Star", "Kiss", "Money", "Night's", "Sun", "Friends", "Brother", "Sister",
	"Father", "Mother", "Daughter", "Son", "Wedding", "Journey", "Winter", "Paradise", "Hotel", "Train",
	"Murder", "Revenge", "Escape", "Truth", "Silence", "Storm", "Sea", "Mountain", "Garden", "Party",
	"Crazy", "Young", "Old", "Happy", "Broken", "Silver", "Blue", "Green", "Hidden", "Forgotten",
	"Beautiful", "Perfect", "Final", "First", "Long", "Great", "Deadly", "Sweet", "Cold", "Hot",
	"Killer", "Hunter", "Soldier", "Doctor", "Thief", "Prince", "Princess", "Witness", "Detective", "Teacher",
	"Gun", "Eye", "Eyes", "Hand", "Face", "Voice", "Wind", "Rain", "Snow", "Light",
	"Darkness", "Memory", "Promise", "Affair", "Crime", "Case", "Mission", "Code", "Price", "Law",
	"Ride", "Run", "Fight", "Fall", "Rise", "Chase", "Hunt", "Flight", "Dance", "Kingdom",
	"Empire", "Legend", "Tale", "Mystery", "Curse", "Miracle", "Hope", "Fear", "Sin", "Soul",
	"Spirit", "Witch", "Monster", "Beast", "Dragon", "Wolf", "Horse", "Dog", "Cat", "Bird",
	"Ocean", "Desert", "Forest", "Valley", "Bridge", "Tower", "Castle", "Village", "Town", "Country",
	"Machine", "Zone", "Planet", "Space", "Future", "Past", "Tomorrow", "Yesterday", "Midnight", "Morning",
	"Evening", "Sunday", "Christmas", "Holiday", "Birthday", "Weekend", "Honeymoon", "Marriage", "Divorce", "Lovers",
	"Boys", "Girls", "Men", "Women", "People", "Kids", "Gang", "Club", "School", "College",
	"Office", "Prison", "Hospital", "Church", "Bank", "Circus", "Theatre", "Show", "Picture", "Film",
	"Music", "Blues", "Jazz", "Rock", "Dancer", "Singer", "Star's", "Dreams", "Stories", "Nights",
	"Days", "Years", "Hearts", "Secrets", "Lies", "Games", "Rules", "Wars", "Souls", "Tears",
	"Diamond", "Gold", "Treasure", "Pirate", "Sword", "Warrior", "Hero", "Heroes", "Rebel", "Outlaw",
	"Sheriff", "Cowboy", "Samurai", "Ninja", "Agent", "Spy", "Boss", "Mafia", "Cop", "Gangster",
	"Zombie", "Vampire", "Alien", "Robot", "Virus", "Island's", "Edge", "End", "Beginning", "Way",
}

// titleArticles and the small words that glue titles together.
var titleGlue = []string{"of", "and", "in", "the", "for", "on", "to", "with", "from", "at"}

// rareWords each appear in about one title in five thousand: a search for
// one of them has few hits at every size. scale.sh takes them from
// `imdbgen -rare-words`.
var rareWords = []string{
	"Zeppelin", "Marmalade", "Obsidian", "Quixotic", "Labyrinthine", "Halcyon", "Zephyr", "Nebulous",
	"Ephemeral", "Juxtapose", "Kaleidoscope", "Mnemonic", "Palimpsest", "Quagmire", "Rhapsody",
	"Serendipity", "Tessellate", "Umbrage", "Vermilion", "Wanderlust", "Xylophone", "Yonder",
	"Zenith", "Apocrypha", "Bellwether",
}

// Syllables make the invented place and family names that give titles a
// long tail of words found only a few times.
var syllables = []string{
	"ka", "lo", "mar", "vin", "tor", "bel", "san", "ri", "do", "gar", "lin", "mo", "ven", "ta",
	"ros", "ne", "al", "bra", "chi", "del", "fen", "hal", "is", "jor", "kes", "lu", "mir", "nor",
	"os", "pra", "quen", "ral", "sel", "tu", "ul", "vor", "wen", "ys", "zan", "ber",
}

// maleNames and femaleNames are first names, common first.
var maleNames = []string{
	"John", "Michael", "David", "James", "Robert", "William", "Richard", "Thomas", "Peter", "Paul",
	"Mark", "Daniel", "George", "Charles", "Joseph", "Christopher", "Steven", "Andrew", "Brian", "Kevin",
	"Jean", "Carlos", "José", "Luis", "Juan", "Antonio", "Giuseppe", "Marco", "Hans", "Pierre",
	"Frank", "Edward", "Henry", "Jack", "Martin", "Stephen", "Anthony", "Matthew", "Eric", "Alex",
	"Tom", "Scott", "Jason", "Ryan", "Sam", "Ben", "Adam", "Chris", "Patrick", "Jonathan",
	"Nicholas", "Gary", "Larry", "Dennis", "Walter", "Harry", "Arthur", "Albert", "Louis", "Philip",
	"Raymond", "Roger", "Ralph", "Eugene", "Carl", "Bruce", "Howard", "Fred", "Oscar", "Victor",
	"Ivan", "Sergei", "Dmitri", "Akira", "Hiroshi", "Kenji", "Raj", "Amit", "Ahmed", "Omar",
	"Ali", "Mohamed", "Lars", "Erik", "Sven", "Jan", "Pavel", "Tomas", "Miguel", "Pedro",
	"Diego", "Rafael", "Fernando", "Francesco", "Luca", "Stefano", "Klaus", "Jürgen", "François", "Olivier",
	"Kurt", "Leon", "Max", "Felix", "Hugo", "Simon", "Vincent", "Julian", "Oliver", "Samuel",
	"Isaac", "Aaron", "Nathan", "Gordon", "Douglas", "Keith", "Roy", "Dean", "Wayne", "Zoltán",
}

var femaleNames = []string{
	"Mary", "Maria", "Anna", "Elizabeth", "Sarah", "Susan", "Jennifer", "Linda", "Patricia", "Barbara",
	"Margaret", "Catherine", "Jane", "Emma", "Laura", "Julia", "Helen", "Anne", "Lisa", "Karen",
	"Marie", "Sophie", "Isabelle", "Carmen", "Ana", "Lucia", "Giulia", "Francesca", "Ingrid", "Greta",
	"Nancy", "Betty", "Dorothy", "Ruth", "Alice", "Grace", "Rose", "Kate", "Emily", "Jessica",
	"Michelle", "Amanda", "Rachel", "Rebecca", "Hannah", "Olivia", "Charlotte", "Victoria", "Natalie", "Nicole",
	"Diana", "Claire", "Louise", "Joan", "Judith", "Ellen", "Eva", "Vera", "Irina", "Olga",
	"Natasha", "Yuki", "Keiko", "Mei", "Priya", "Aisha", "Fatima", "Leila", "Astrid", "Karin",
	"Elena", "Isabel", "Beatriz", "Paula", "Monica", "Silvia", "Chiara", "Claudia", "Sabine", "Monique",
	"Helga", "Nina", "Zoe", "Ella", "Amy", "Lucy", "Joanna", "Kim", "Angela", "Teresa",
	"Doris", "Irene", "Esther", "Miriam", "Lena", "Maya", "Sofia", "Camille", "Agnès", "Małgorzata",
}

// lastNames are family names, common first.
var lastNames = []string{
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Garcia", "Rodriguez", "Wilson",
	"Martinez", "Anderson", "Taylor", "Thomas", "Hernandez", "Moore", "Martin", "Jackson", "Thompson", "White",
	"Lopez", "Lee", "Gonzalez", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Perez", "Hall",
	"Young", "Allen", "Sanchez", "Wright", "King", "Scott", "Green", "Baker", "Adams", "Nelson",
	"Hill", "Ramirez", "Campbell", "Mitchell", "Roberts", "Carter", "Phillips", "Evans", "Turner", "Torres",
	"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
	"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
	"Dubois", "Durand", "Lefebvre", "Moreau", "Laurent", "Simon", "Michel", "Leroy", "Roux", "David",
	"Ivanov", "Smirnov", "Kuznetsov", "Popov", "Sokolov", "Petrov", "Novak", "Kowalski", "Nowak", "Horvath",
	"Tanaka", "Suzuki", "Takahashi", "Watanabe", "Yamamoto", "Nakamura", "Kobayashi", "Kato", "Sato", "Ito",
	"Kumar", "Singh", "Sharma", "Patel", "Khan", "Gupta", "Das", "Chatterjee", "Reddy", "Rao",
	"Kim", "Park", "Choi", "Chen", "Wang", "Li", "Zhang", "Liu", "Huang", "Wu",
	"Silva", "Santos", "Oliveira", "Souza", "Costa", "Pereira", "Almeida", "Ferreira", "Gomes", "Ribeiro",
	"Johansson", "Andersson", "Karlsson", "Nilsson", "Larsen", "Hansen", "Jensen", "Nielsen", "Berg", "Lund",
	"O'Brien", "Murphy", "Kelly", "Sullivan", "Walsh", "Byrne", "Ryan", "O'Connor", "McCarthy", "Doyle",
	"Cohen", "Levy", "Friedman", "Katz", "Stone", "Fox", "Wolfe", "Black", "Gray", "Woods",
}

// nameParticles start some family names ("van Dyke"), nameSuffixes end
// some full names; the importer keeps both with the last name.
var nameParticles = []string{"van", "de", "von", "di", "da", "del", "le"}
var nameSuffixes = []string{"Jr.", "Sr.", "II", "III"}

// roleNames are characters without a proper name.
var roleNames = []string{
	"Himself", "Herself", "Narrator", "Doctor", "Nurse", "Police Officer", "Detective", "Waiter", "Bartender", "Reporter",
	"Soldier", "Priest", "Judge", "Lawyer", "Driver", "Guard", "Teacher", "Secretary", "Mother", "Father",
	"Girl", "Boy", "Old Man", "Old Woman", "Stranger", "Customer", "Dancer", "Singer", "Thug", "Cop",
}
