"""Word lists of the extractor: trigger words, role nouns, weapons, casualty and claim words, group names.

Everything is keyed by lower-cased lemma (or word) so the same lists work on cased, ALL-CAPS and lower-cased
text. Trigger entries carry an incident *kind* (see ``taxonomy.KIND_TYPES``) and a specificity: 0 for words
that only make sense next to a real trigger ("killed"), 1 for general words ("attack"), 2 for specific
ones ("stormed", "bombing"), 3 for the most telling ("suicide bomber").
"""

from __future__ import annotations

import re

# lemma -> (kind, specificity, parts of speech it triggers as: "V" verb, "N" noun)
TRIGGERS: dict[str, tuple[str, int, str]] = {
    "attack": ("attack", 1, "VN"), "assault": ("armed", 1, "VN"), "storm": ("armed", 2, "V"),
    "raid": ("armed", 2, "VN"), "ambush": ("armed", 2, "VN"), "shooting": ("armed", 2, "N"),
    "shoot": ("armed", 2, "V"), "gunfire": ("armed", 2, "N"), "massacre": ("killing", 2, "VN"),
    "kill": ("killing", 0, "V"), "killing": ("killing", 1, "N"), "murder": ("killing", 1, "VN"),
    "behead": ("killing", 2, "V"), "stab": ("killing", 2, "V"), "stabbing": ("killing", 2, "N"),
    "lynch": ("killing", 2, "V"), "slaughter": ("killing", 2, "V"), "slay": ("killing", 1, "V"),
    "assassinate": ("assassination", 3, "V"), "assassination": ("assassination", 3, "N"),
    "bomb": ("bombing", 2, "V"), "bombing": ("bombing", 2, "N"), "blast": ("bombing", 2, "N"),
    "explosion": ("bombing", 2, "N"), "explode": ("bombing", 2, "V"), "detonate": ("bombing", 2, "V"),
    "ied": ("bombing", 3, "N"), "dynamite": ("bombing", 3, "V"),
    "airstrike": ("airstrike", 3, "N"), "air-strike": ("airstrike", 3, "N"), "bombardment": ("airstrike", 2, "N"),
    "bombard": ("shelling", 2, "V"), "shelling": ("shelling", 3, "N"), "shell": ("shelling", 2, "V"),
    "clash": ("clash", 2, "VN"), "fighting": ("clash", 2, "N"), "gunbattle": ("clash", 3, "N"),
    "firefight": ("clash", 3, "N"), "gunfight": ("clash", 3, "N"), "skirmish": ("clash", 2, "N"),
    "battle": ("clash", 1, "N"), "offensive": ("clash", 1, "N"),
    "kidnap": ("kidnap", 3, "V"), "kidnapping": ("kidnap", 3, "N"), "abduct": ("kidnap", 3, "V"),
    "abduction": ("kidnap", 3, "N"), "kidnaping": ("kidnap", 3, "N"),
    "hijack": ("hijack", 3, "V"), "hijacking": ("hijack", 3, "N"),
    "siege": ("siege", 2, "N"), "besiege": ("siege", 2, "V"),
    "torch": ("arson", 2, "V"), "arson": ("arson", 2, "N"),
    "protest": ("protest", 2, "VN"), "demonstration": ("protest", 2, "N"), "demonstrate": ("protest", 1, "V"),
    "rally": ("protest", 1, "N"), "sit-in": ("protest", 2, "N"), "march": ("protest", 1, "V"),
    "protester": ("protest", 1, "N"), "demonstrator": ("protest", 1, "N"),
    "riot": ("riot", 3, "VN"), "rioting": ("riot", 3, "N"),
    "arrest": ("arrest", 2, "VN"), "detain": ("arrest", 2, "V"),
}

# "A bomb destroyed the bus": a damage verb whose subject is an explosive is a bombing.
DAMAGE_VERBS = frozenset({"destroy", "damage", "wreck", "demolish", "shatter", "rip", "level", "hit", "strike"})
EXPLOSIVE_SUBJECTS = frozenset({"bomb", "explosive", "explosion", "blast", "device", "grenade", "mine", "dynamite",
                                "charge", "rocket", "mortar", "missile", "shell", "car-bomb"})

# Multi-word triggers: sequence of lower-cased words or lemmas -> (kind, specificity). The trigger token is
# the LAST word unless the first is a verb ("opened fire", "shot dead").
MULTI_TRIGGERS: dict[tuple[str, ...], tuple[str, int]] = {
    ("open", "fire"): ("armed", 2), ("shoot", "dead"): ("armed", 3), ("gun", "down"): ("armed", 3),
    ("blow", "up"): ("bombing", 2), ("set", "fire"): ("arson", 2), ("set", "ablaze"): ("arson", 2),
    ("suicide", "bomber"): ("suicide", 4), ("suicide", "bombing"): ("suicide", 4),
    ("suicide", "attack"): ("suicide", 4), ("suicide", "blast"): ("suicide", 4),
    ("suicide", "bombers"): ("suicide", 4), ("car", "bomb"): ("bombing", 3), ("roadside", "bomb"): ("bombing", 3),
    ("truck", "bomb"): ("bombing", 3), ("grenade", "attack"): ("grenade", 3), ("bomb", "attack"): ("bombing", 3),
    ("drone", "strike"): ("airstrike", 4), ("air", "strike"): ("airstrike", 4), ("missile", "strike"): ("shelling", 3),
    ("air", "raid"): ("airstrike", 4), ("rocket", "attack"): ("shelling", 3), ("mortar", "attack"): ("shelling", 3),
    ("rocket", "fire"): ("shelling", 3), ("artillery", "fire"): ("shelling", 3), ("gun", "battle"): ("clash", 3),
    ("exchange", "fire"): ("clash", 3), ("take", "hostage"): ("kidnap", 3), ("hunger", "strike"): ("protest", 2),
}
# the first word of these multi-word triggers is the head (a verb)
VERB_HEADED = frozenset({("open", "fire"), ("shoot", "dead"), ("gun", "down"), ("blow", "up"), ("set", "fire"),
                         ("set", "ablaze"), ("exchange", "fire"), ("take", "hostage")})

# Verbs that report an incident that was stopped, and the kind it would have been.
FOIL_VERBS = {"foil": "foiled", "thwart": "foiled", "defuse": "foiled", "avert": "foiled", "disrupt": "foiled",
              "prevent": "foiled", "intercept": "foiled", "dismantle": "foiled"}
ATTEMPT_VERBS = frozenset({"try", "attempt", "seek"})
THREAT_VERBS = frozenset({"threaten", "vow", "warn", "pledge", "promise"})
PLAN_VERBS = frozenset({"plan", "plot", "prepare", "intend", "conspire", "scheme"})
PLAN_NOUNS = frozenset({"plot", "plan", "conspiracy", "scheme"})
ATTEMPT_MODIFIERS = frozenset({"failed", "attempted", "botched", "abortive", "unsuccessful", "foiled", "thwarted"})
HABITUAL = frozenset({"often", "frequently", "regularly", "routinely", "usually", "repeatedly", "sometimes",
                      "always", "typically", "generally", "commonly", "occasionally", "rarely", "never"})
AGGREGATE_NOUNS = frozenset({"series", "string", "spate", "wave", "number", "campaign", "fear", "threat", "risk",
                             "danger", "possibility", "history", "pattern", "rise", "increase", "surge"})
GENERIC_ADJ = frozenset({"common", "rare", "frequent", "routine", "commonplace", "regular", "widespread", "possible",
                         "potential", "future", "further", "such", "more", "similar", "new", "fresh"})
# Modifiers that make an attack word something else ("heart attack", "cyber attack", "verbal assault").
NON_VIOLENT_MODIFIERS = frozenset({"heart", "panic", "asthma", "anxiety", "cyber", "verbal", "personal", "legal",
                                   "scathing", "stinging", "blistering", "political", "virus", "hacker", "spam",
                                   "counter", "price", "charm", "media", "blitz", "denial"})
MODALS = frozenset({"could", "would", "might", "may", "can", "should", "will", "must", "shall", "'d", "'ll"})
NEGATION_DETS = frozenset({"no", "any"})
HYPOTHETICAL_MARKS = frozenset({"if", "unless", "whether"})
# verbs of reporting under which a past-tense trigger is still an occurred incident
REPORTING = frozenset({"say", "tell", "report", "add", "confirm", "state", "announce", "claim", "note", "insist"})

# Nouns naming perpetrators who are people (not organisations).
PERP_NOUNS = frozenset({
    "gunman", "gunmen", "militant", "attacker", "assailant", "insurgent", "rebel", "terrorist", "guerrilla",
    "bomber", "fighter", "jihadist", "extremist", "separatist", "hijacker", "kidnapper", "abductor", "man", "men",
    "mob", "rioter", "suspect", "soldier", "troop", "policeman", "police", "commando", "assassin", "sniper",
    "member", "cell", "squad", "column", "unit", "group", "individual", "youth", "protester", "demonstrator",
    "pirate", "raider", "killer", "murderer", "shooter", "perpetrator", "criminal", "bandit", "vigilante",
})
# Perpetrator nouns that are never victims of "killed" in the same clause: their deaths are perpetrators_killed.
PERP_KILLED_NOUNS = frozenset({
    "gunman", "gunmen", "militant", "attacker", "assailant", "insurgent", "rebel", "terrorist", "guerrilla",
    "bomber", "jihadist", "extremist", "hijacker", "kidnapper", "abductor", "assassin", "sniper", "raider",
    "perpetrator", "shooter",
})

# Head noun -> GTD target type (physical targets and institutions).
TARGET_NOUNS: dict[str, str] = {
    "school": "Educational Institution", "university": "Educational Institution", "college": "Educational Institution",
    "madrassa": "Educational Institution", "madrasa": "Educational Institution", "campus": "Educational Institution",
    "airport": "Airports & Aircraft", "airliner": "Airports & Aircraft", "plane": "Airports & Aircraft",
    "aircraft": "Airports & Aircraft", "airstrip": "Airports & Aircraft", "airbase": "Military",
    "hotel": "Business", "restaurant": "Business", "bank": "Business", "market": "Business", "shop": "Business",
    "store": "Business", "mall": "Business", "office": "Business", "factory": "Business", "plant": "Utilities",
    "cafe": "Business", "bar": "Business", "nightclub": "Business", "club": "Business", "company": "Business",
    "bazaar": "Business", "supermarket": "Business", "cinema": "Business", "theatre": "Business",
    "police": "Police", "checkpoint": "Police", "station": "Police", "precinct": "Police", "patrol": "Military",
    "post": "Military", "base": "Military", "barracks": "Military", "garrison": "Military", "camp": "Military",
    "convoy": "Military", "outpost": "Military", "army": "Military", "troops": "Military", "headquarters": "Military",
    "church": "Religious Figures/Institutions", "mosque": "Religious Figures/Institutions",
    "temple": "Religious Figures/Institutions", "synagogue": "Religious Figures/Institutions",
    "shrine": "Religious Figures/Institutions", "cathedral": "Religious Figures/Institutions",
    "bus": "Transportation", "train": "Transportation", "railway": "Transportation", "bridge": "Transportation",
    "highway": "Transportation", "road": "Transportation", "terminal": "Transportation", "subway": "Transportation",
    "metro": "Transportation", "ferry": "Transportation", "vehicle": "Transportation", "car": "Transportation",
    "truck": "Transportation", "boat": "Maritime", "ship": "Maritime", "port": "Maritime", "tanker": "Maritime",
    "embassy": "Government (Diplomatic)", "consulate": "Government (Diplomatic)", "mission": "Government (Diplomatic)",
    "ministry": "Government (General)", "parliament": "Government (General)", "courthouse": "Government (General)",
    "court": "Government (General)", "residence": "Private Citizens & Property", "house": "Private Citizens & Property",
    "home": "Private Citizens & Property", "village": "Private Citizens & Property", "farm": "Private Citizens & Property",
    "hospital": "Private Citizens & Property", "clinic": "Private Citizens & Property",
    "substation": "Utilities", "pipeline": "Utilities", "tower": "Utilities", "pylon": "Utilities",
    "dam": "Utilities", "grid": "Utilities", "line": "Utilities", "facility": "Utilities",
    "newspaper": "Journalists & Media", "radio": "Journalists & Media", "television": "Journalists & Media",
    "broadcaster": "Journalists & Media", "stadium": "Private Citizens & Property", "park": "Private Citizens & Property",
}
# Modifier lemma that decides the target type when present ("police station", "army post", "power plant").
TARGET_MODIFIERS: dict[str, str] = {
    "police": "Police", "army": "Military", "military": "Military", "naval": "Military", "air": "Military",
    "power": "Utilities", "electric": "Utilities", "water": "Food or Water Supply", "gas": "Utilities",
    "oil": "Utilities", "bus": "Transportation", "railway": "Transportation", "train": "Transportation",
    "government": "Government (General)", "party": "Government (General)", "television": "Journalists & Media",
    "radio": "Journalists & Media", "un": "NGO", "aid": "NGO",
}

# Person nouns that make victims (and GTD target type of the people hit).
VICTIM_NOUNS: dict[str, str] = {
    "people": "Private Citizens & Property", "person": "Private Citizens & Property",
    "civilian": "Private Citizens & Property", "child": "Educational Institution",
    "student": "Educational Institution", "pupil": "Educational Institution", "teacher": "Educational Institution",
    "schoolchild": "Educational Institution", "worshipper": "Religious Figures/Institutions",
    "priest": "Religious Figures/Institutions", "imam": "Religious Figures/Institutions",
    "passenger": "Transportation", "driver": "Transportation", "tourist": "Tourists", "journalist": "Journalists & Media",
    "reporter": "Journalists & Media", "policeman": "Police", "policemen": "Police", "officer": "Police",
    "police": "Police", "soldier": "Military", "troop": "Military", "villager": "Private Citizens & Property",
    "peasant": "Private Citizens & Property", "farmer": "Private Citizens & Property", "worker": "Business",
    "staff": "Business", "employee": "Business", "woman": "Private Citizens & Property", "man": "Private Citizens & Property",
    "men": "Private Citizens & Property", "resident": "Private Citizens & Property", "shopper": "Business",
    "diplomat": "Government (Diplomatic)", "ambassador": "Government (Diplomatic)", "official": "Government (General)",
    "politician": "Government (General)", "minister": "Government (General)", "mayor": "Government (General)",
    "judge": "Government (General)", "governor": "Government (General)", "lawmaker": "Government (General)",
    "candidate": "Government (General)", "leader": "Government (General)", "commander": "Military",
    "protester": "Private Citizens & Property", "demonstrator": "Private Citizens & Property",
    "aid": "NGO", "hostage": "Private Citizens & Property", "family": "Private Citizens & Property",
    "boy": "Private Citizens & Property", "girl": "Private Citizens & Property", "bystander": "Private Citizens & Property",
    "pilgrim": "Religious Figures/Institutions", "businessman": "Business", "trader": "Business",
    "guest": "Business", "customer": "Business", "colonel": "Military", "general": "Military", "captain": "Military",
    "agent": "Police", "member": "Private Citizens & Property", "engineer": "Business", "contractor": "Business",
    "doctor": "Private Citizens & Property", "nurse": "Private Citizens & Property", "volunteer": "NGO",
    "missionary": "Religious Figures/Institutions", "executive": "Business", "pilot": "Airports & Aircraft",
    "crew": "Transportation", "sailor": "Maritime", "fisherman": "Maritime", "miner": "Business",
    "herder": "Private Citizens & Property", "constable": "Police", "villagers": "Private Citizens & Property",
    "passer-by": "Private Citizens & Property", "passers-by": "Private Citizens & Property",
    "vendor": "Business", "guard": "Police",
}

# Weapon words (lemma or lower) -> GTD weapon type. Multi-word entries are matched as lower-cased lemma runs.
WEAPONS: dict[str, str] = {
    "gun": "Firearms", "rifle": "Firearms", "pistol": "Firearms", "firearm": "Firearms", "ak-47": "Firearms",
    "kalashnikov": "Firearms", "machine-gun": "Firearms", "machinegun": "Firearms", "revolver": "Firearms",
    "bullet": "Firearms", "shotgun": "Firearms", "gunfire": "Firearms", "automatic weapon": "Firearms",
    "submachine gun": "Firearms", "machine gun": "Firearms", "m-16": "Firearms", "weapon": "Firearms",
    "bomb": "Explosives", "explosive": "Explosives", "grenade": "Explosives", "ied": "Explosives",
    "dynamite": "Explosives", "mine": "Explosives", "landmine": "Explosives", "mortar": "Explosives",
    "rocket": "Explosives", "missile": "Explosives", "shell": "Explosives", "car bomb": "Explosives",
    "suicide vest": "Explosives", "explosive vest": "Explosives", "suicide belt": "Explosives",
    "roadside bomb": "Explosives", "truck bomb": "Explosives", "tnt": "Explosives", "artillery": "Explosives",
    "improvised explosive device": "Explosives", "explosive device": "Explosives", "detonator": "Explosives",
    "rpg": "Explosives", "bazooka": "Explosives",
    "knife": "Melee", "machete": "Melee", "axe": "Melee", "sword": "Melee", "club": "Melee", "stone": "Melee",
    "molotov cocktail": "Incendiary", "petrol bomb": "Incendiary", "firebomb": "Incendiary", "gasoline": "Incendiary",
    "petrol": "Incendiary", "fire": "Incendiary", "arson": "Incendiary",
    "truck": "Vehicle", "vehicle": "Vehicle",
}
# weapon words that are only weapons when the sentence has a trigger of a matching kind
WEAPON_NEEDS_KIND: dict[str, frozenset[str]] = {
    "fire": frozenset({"arson"}), "truck": frozenset({"armed", "attack", "killing"}),
    "vehicle": frozenset({"armed", "attack", "killing"}), "club": frozenset({"killing", "riot"}),
    "stone": frozenset({"riot", "protest", "killing"}), "shell": frozenset({"shelling"}),
    "weapon": frozenset({"armed", "attack", "killing", "clash"}),
}
TRIGGER_WEAPONS: dict[str, str] = {  # kinds that imply a weapon type even when no weapon word is written
    "bombing": "Explosives", "suicide": "Explosives", "grenade": "Explosives", "arson": "Incendiary",
}

KILL_WORDS = frozenset({"kill", "die", "dead", "death", "slay", "murder", "massacre", "behead", "execute",
                        "life", "fatality", "body", "toll", "assassinate", "shoot dead", "lynch", "perish"})
WOUND_WORDS = frozenset({"wound", "injure", "hurt", "injury", "maim", "casualty", "injured", "wounded"})

# Words written before a person's name that are not part of it: titles, ranks, and nationality nouns
# ("Spaniard Francisco Puja", "Father Ignacio Ellacuria", "Col Juan Lopez"); a name starts after them.
NAME_PREFIXES = frozenset(
    "mr mrs ms miss dr fr father msgr monsignor archbishop bishop reverend rev brother sister mother pastor priest "
    "president vice senator sen deputy congressman minister judge justice mayor governor gov ambassador consul "
    "attorney lawyer doctor engineer journalist reporter professor prof student leader chief commander cmdr "
    "general gen colonel col lieutenant lt major maj captain capt sergeant sgt corporal private admiral adm "
    "comrade don dona senor senora mister candidate spokesman businessman industrialist peasant unionist "
    "spaniard briton frenchman englishman scot dane swede pole turk finn swiss dutchman irishman "
    "italian american german spanish british french colombian salvadoran peruvian guatemalan honduran "
    "nicaraguan chilean bolivian ecuadorean ecuadorian mexican venezuelan argentine cuban panamanian "
    "pakistani afghan indian iraqi syrian nigerian somali kenyan".split()
)

# Words that state an accusation of an incident (lemmas): "X are responsible for the murder", "the officers
# involved in the murder", "the attack was attributed to X" (extraction.roles._accused).
ACCUSED_ADJ = frozenset({"responsible", "guilty"})
ACCUSED_VERBS = frozenset({"involve", "implicate", "accuse", "charge", "suspect"})
ATTRIBUTE_VERBS = frozenset({"attribute", "blame"})

# Claim and denial verbs (lemmas) and the nouns they take ("claimed responsibility").
CLAIM_NOUNS = frozenset({"responsibility", "credit"})
CLAIM_VERBS = frozenset({"claim", "accept", "take", "assume"})
DENY_VERBS = frozenset({"deny", "reject", "disown"})
DENY_NOUNS = frozenset({"involvement", "responsibility", "role", "link", "part", "connection"})
CARRY_OUT = frozenset({"carry", "conduct", "perpetrate", "launch", "stage", "execute", "mount"})

# Words that mark people as members of state forces (for "clash between soldiers and rebels").
STATE_FORCES = frozenset({"army", "soldier", "troop", "police", "policeman", "military", "force", "security",
                          "officer", "commando", "marine", "government", "patrol", "guard"})
INTERVENTION = frozenset({"tear", "teargas", "disperse", "baton", "charge", "beat", "arrest", "detain",
                          "water", "cannon", "rubber", "crackdown", "clash"})

# Well-known armed groups: canonical name -> aliases (matched case-insensitively by an entity ruler, so
# hyphenated names stay whole and ALL-CAPS text works). A small built-in list; the actor KB comes later.
GROUPS: dict[str, tuple[str, ...]] = {
    "Tehrik-i-Taliban Pakistan": ("Tehrik-i-Taliban Pakistan", "Tehreek-e-Taliban Pakistan", "Tehrik-e-Taliban Pakistan",
                                  "Tehrik-i-Taliban", "Tehreek-e-Taliban", "Tehrik-e-Taliban", "Pakistani Taliban",
                                  "TTP"),
    "Taliban": ("Taliban", "Afghan Taliban", "the Taliban"),
    "Jamaat-ul-Ahrar": ("Jamaat-ul-Ahrar", "Jamaat ul Ahrar", "Jamaatul Ahrar", "JuA"),
    "Lashkar-e-Taiba": ("Lashkar-e-Taiba", "Lashkar-e-Toiba", "Lashkar-e-Tayyiba", "LeT"),
    "Lashkar-e-Jhangvi": ("Lashkar-e-Jhangvi", "Lashkar-i-Jhangvi", "LeJ"),
    "Jaish-e-Mohammed": ("Jaish-e-Mohammed", "Jaish-e-Muhammad", "Jaish-e-Mohammad", "JeM"),
    "Haqqani network": ("Haqqani network",),
    "Baloch Liberation Army": ("Baloch Liberation Army", "Balochistan Liberation Army", "BLA"),
    "Islamic State": ("Islamic State", "Islamic State group", "ISIS", "ISIL", "Daesh", "Daish",
                      "Islamic State of Iraq and the Levant", "Islamic State of Iraq and Syria"),
    "Islamic State Khorasan Province": ("Islamic State Khorasan Province", "Islamic State Khorasan", "ISKP", "IS-K",
                                        "ISIS-K"),
    "Islamic State West Africa Province": ("Islamic State West Africa Province", "ISWAP"),
    "al-Qaeda": ("al-Qaeda", "al-Qaida", "al Qaeda", "al Qaida", "alQaeda", "Al-Qa'ida"),
    "al-Qaeda in the Arabian Peninsula": ("al-Qaeda in the Arabian Peninsula", "AQAP"),
    "al-Qaeda in the Islamic Maghreb": ("al-Qaeda in the Islamic Maghreb", "AQIM"),
    "al-Shabaab": ("al-Shabaab", "al-Shabab", "al Shabaab", "al Shabab", "Shabaab"),
    "Boko Haram": ("Boko Haram",),
    "Hamas": ("Hamas",), "Hezbollah": ("Hezbollah", "Hizbollah", "Hizballah"),
    "Palestinian Islamic Jihad": ("Palestinian Islamic Jihad", "Islamic Jihad"),
    "Houthis": ("Houthis", "Houthi rebels", "Ansar Allah", "Ansarullah"),
    "Hayat Tahrir al-Sham": ("Hayat Tahrir al-Sham", "HTS", "Nusra Front", "al-Nusra Front", "Jabhat al-Nusra"),
    "Abu Sayyaf": ("Abu Sayyaf", "Abu Sayyaf Group"),
    "Kurdistan Workers' Party": ("Kurdistan Workers' Party", "Kurdistan Workers Party", "PKK"),
    "ETA": ("ETA", "Basque separatist group ETA"),
    "Irish Republican Army": ("Irish Republican Army", "IRA", "Provisional IRA", "Real IRA", "New IRA"),
    "FARC": ("FARC", "Revolutionary Armed Forces of Colombia"),
    "ELN": ("National Liberation Army", "ELN", "Ejercito de Liberacion Nacional"),
    "Shining Path": ("Shining Path", "Sendero Luminoso"),
    "Tupac Amaru Revolutionary Movement": ("Tupac Amaru Revolutionary Movement", "MRTA"),
    "Farabundo Marti National Liberation Front": ("Farabundo Marti National Liberation Front",
                                                  "Farabundo Marti Liberation Front", "FMLN"),
    "Guatemalan National Revolutionary Unity": ("Guatemalan National Revolutionary Unity", "URNG"),
    "Manuel Rodriguez Patriotic Front": ("Manuel Rodriguez Patriotic Front", "FPMR"),
    "April 19 Movement": ("April 19 Movement", "M-19"),
    "The Extraditables": ("Extraditables", "the Extraditables"),
    "Medellin Cartel": ("Medellin Cartel", "Medellin drug cartel"),
    "Liberation Tigers of Tamil Eelam": ("Liberation Tigers of Tamil Eelam", "Tamil Tigers", "LTTE"),
    "Communist Party of India (Maoist)": ("Communist Party of India (Maoist)", "CPI-Maoist", "CPI (Maoist)"),
    "Maoists": ("Maoist rebels", "Maoists", "Naxalites"),
    "Lord's Resistance Army": ("Lord's Resistance Army", "LRA"),
    "Ansar al-Sharia": ("Ansar al-Sharia", "Ansar al-Sharia"),
    "Jemaah Islamiyah": ("Jemaah Islamiyah",),
    "JNIM": ("Jama'at Nusrat al-Islam wal-Muslimin", "Jamaat Nusrat al-Islam wal-Muslimin",
                                             "JNIM", "Group for the Support of Islam and Muslims"),
    "New People's Army": ("New People's Army", "New Peoples Army", "NPA"),
    "Allied Democratic Forces": ("Allied Democratic Forces", "ADF"),
    "M23": ("M23", "March 23 Movement"),
}


# Words that make an actor's name a state body ("Pakistani army", "US Africa Command", "Interior Ministry").
STATE_NAME_WORDS = ("command", "army", "ministry", "forces", "police", "military", "government", "department", "navy",
                    "air force", "pentagon", "coalition", "marines", "guard", "troops", "soldiers")


def is_state_name(name: str) -> bool:
    """Whether ``name`` names a state's forces or authorities (a claim by one is an announcement)."""
    low = name.lower()
    return any(w in low for w in STATE_NAME_WORDS)


# GTD target types, and words in a target's wording, that make it a state force or one of its posts
STATE_TARGET_TYPES = frozenset({"Police", "Military"})
STATE_TARGET_WORDS = frozenset({"army", "military", "police", "soldiers", "troops", "navy", "barracks"})


def is_state_target(mention: str, target_type: str | None) -> bool:
    """Whether a target (or an unnamed victim) is a state force or one of its posts: "police station",
    "army patrol", "barracks", or anything typed Police / Military."""
    words = set(re.split(r"[\s-]+", mention.lower()))
    return target_type in STATE_TARGET_TYPES or bool(words & STATE_TARGET_WORDS)
