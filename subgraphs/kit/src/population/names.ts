// Synthetic names and places. Families of near-duplicates (Doe / Dough, Smith / Smyth) are kept
// together so the seed can make the look-alike records a MASH meets every day.
export const givenFemale = [
  "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie", "Sophia",
  "Grace", "Freya", "Willow", "Florence", "Emily", "Ella", "Poppy", "Evie", "Elsie", "Charlotte",
  "Jade", "Chloe", "Megan", "Hannah", "Lauren", "Sarah", "Emma", "Rebecca", "Amy", "Laura",
  "Margaret", "Joan", "Dorothy", "Patricia", "Susan", "Karen", "Julie", "Tracey", "Nicola", "Zara",
  "Aisha", "Fatima", "Maryam", "Zainab", "Priya", "Anaya", "Siobhan", "Niamh", "Kayleigh", "Demi",
] as const;

export const givenMale = [
  "Noah", "Oliver", "George", "Arthur", "Muhammad", "Leo", "Harry", "Oscar", "Archie", "Henry",
  "Theodore", "Freddie", "Jack", "Charlie", "Thomas", "Jacob", "Alfie", "Finley", "Ryan", "Liam",
  "Daniel", "James", "Matthew", "Luke", "Adam", "Callum", "Jordan", "Connor", "Kyle", "Dean",
  "David", "John", "Michael", "Paul", "Mark", "Stephen", "Gary", "Wayne", "Lee", "Craig",
  "Ibrahim", "Yusuf", "Ali", "Omar", "Arjun", "Rohan", "Ciaran", "Sean", "Tyler", "Kian",
] as const;

/** Each inner list spells one surname several ways; the first spelling is the common one. */
export const familyNames: readonly (readonly string[])[] = [
  ["Smith", "Smyth"], ["Jones"], ["Williams", "Williamson"], ["Taylor", "Tailor"], ["Brown", "Browne"],
  ["Davies", "Davis"], ["Evans"], ["Wilson"], ["Thomas"], ["Johnson", "Johnston"], ["Roberts", "Robertson"],
  ["Robinson"], ["Thompson", "Thomson"], ["Wright"], ["Walker"], ["White", "Whyte"], ["Edwards"],
  ["Hughes"], ["Green", "Greene"], ["Hall"], ["Lewis"], ["Harris"], ["Clarke", "Clark"], ["Patel"],
  ["Jackson"], ["Wood"], ["Turner"], ["Martin"], ["Cooper"], ["Hill"], ["Ward"], ["Morris"], ["Moore"],
  ["Clayton"], ["King"], ["Watson"], ["Baker"], ["Harrison"], ["Morgan"], ["Allen", "Allan"],
  ["Phillips", "Philips"], ["Carter"], ["Mitchell"], ["Khan"], ["Hussain", "Hussein"], ["Ahmed"],
  ["Begum"], ["Ali"], ["Murphy"], ["Kelly"], ["Reid", "Reed", "Read"], ["Gray", "Grey"], ["Doe", "Dough"],
  ["Price"], ["Bennett"], ["Lloyd"], ["Parker"], ["Shaw"], ["Stevens", "Stephens"], ["Mason"],
  ["Knowles"], ["Ashworth"], ["Fletcher"], ["Barker"], ["Holt"], ["Nowak"], ["Kowalski"], ["Popescu"],
  ["O'Brien"], ["McDonald", "MacDonald"], ["Singh"], ["Kaur"], ["Mahmood", "Mahmud"], ["Okafor"],
];

export const streets = [
  "Larch Close", "Mill Lane", "Orchard Way", "Station Road", "Brook Street", "Church Street",
  "Victoria Road", "Park Avenue", "Albert Terrace", "Moor Lane", "Fishergate Hill", "Ribble Bank",
  "Deepdale Road", "Blackpool Road", "Garstang Road", "Tulketh Brow", "Plungington Road",
  "Ashton Lane", "Watling Street Road", "Lytham Road", "Cop Lane", "Leyland Road", "School Lane",
  "Meadow Street", "Friargate", "St George's Road", "Holme Slack Lane", "Grange Avenue",
] as const;

/** Outward codes around Preston, where the golden fixtures live. */
export const outwardCodes = ["PR1", "PR2", "PR3", "PR4", "PR5", "PR25", "PR26"] as const;
