"""The actor knowledge base as data: reading the YAML files, merging a user's file, generating state forces.

``data/actors.yaml`` holds the armed groups we wrote from public facts and a table of countries (names,
demonyms); state forces ("Military Forces of Pakistan", "Police Forces of Pakistan") are generated here for
every pycountry country from that table. A user's file in the same format is merged on top, by id: the
user's fields win, their aliases are added (and take precedence when two actors claim one), and an actor the
user renames keeps its old name as an alias. Nothing here matches text; that is ``resolve/actors.py``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..errors import InputError

ACTOR_TYPES = (
    "Rebel group",
    "Political militia",
    "Identity militia",
    "State forces",
    "External/Other forces",
    "Political party",
    "Rioters",
    "Protesters",
    "Civilians",
)
LINK_TYPES = (
    "offshoot_of",
    "splinter_of",
    "faction_of",
    "allied_with",
    "rival_of",
    "pledged_allegiance_to",
    "merged_into",
    "leader_of",
)
NON_STATE_TYPES = ("Rebel group", "Political militia", "Identity militia")

# Nouns that make "<country> <noun>" a mention of that country's military or police. Keys are alias_key form.
MILITARY_NOUNS = (
    "army", "armies", "military", "militaries", "troops", "troop", "soldiers", "soldier", "forces", "force",
    "armed forces", "security forces", "military forces", "defence forces", "defense forces",
    "government forces", "government troops", "government soldiers", "regime forces", "air force",
    "airforce", "navy", "naval forces", "marines", "special forces", "commandos", "paratroopers",
    "warplanes", "warplane", "jets", "fighter jets", "aircraft", "helicopters", "helicopter gunships",
    "gunships", "drones", "drone", "drone strike", "drone strikes", "airstrike", "airstrikes", "air strike",
    "air strikes", "artillery", "tanks", "coast guard", "border guards", "border guard", "junta",
    "military junta", "army troops", "army soldiers", "infantry", "military patrol", "army patrol",
    "national guard", "paramilitaries", "paramilitary forces", "military personnel", "servicemen",
)
POLICE_NOUNS = (
    "police", "policemen", "policeman", "police officers", "police officer", "police force",
    "police forces", "riot police", "national police", "federal police", "border police", "traffic police",
    "cops", "gendarmerie", "gendarmes", "gendarme", "counterterrorism police", "counter terrorism police",
    "security police", "police personnel", "police commandos",
)
# Generated aliases (kept modest: the resolver's grammar covers every noun above).
_GEN_MILITARY = ("army", "military", "armed forces", "troops", "soldiers", "forces", "security forces",
                 "air force", "navy", "military forces", "government forces")
_GEN_POLICE = ("police", "policemen", "police officers", "police forces")

# Upper-case acronyms that are also everyday words: matched with their case only ("IS", not "is").
_COMMON_WORDS = frozenset(
    "a am an and as at be by do go he hi if in is it me my no of oh ok on or so to up us we aa im hm ji sl "
    "far fan aim art ant arm mas sol pal nas ola fact did tip mit cap jam bra ana ira con pro war "
    "sat set may new old all any can gas ran rat man men".split()
)


def fold(text: str) -> str:
    """``text`` without accents (``Côte`` -> ``Cote``), same length when the input is NFC."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def alias_key(text: str) -> str:
    """The lookup key of a name: accents, case, possessives, punctuation and a leading "the" removed.

    ``"Tehrik-i-Taliban Pakistan"`` -> ``"tehrik i taliban pakistan"``; ``"Pakistan's army"`` ->
    ``"pakistan army"``; ``"U.S."`` -> ``"u s"``; ``"Da'esh"`` -> ``"daesh"``.
    """
    text = fold(text).casefold()
    text = re.sub(r"[\u2018\u2019`\u00b4\u02bc]", "'", text)
    text = re.sub(r"'s\b", "", text)
    text = text.replace("'", "").replace("&", " and ")
    text = re.sub(r"[\W_]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def needs_case(alias: str) -> bool:
    """True for an acronym that is also a common word ("IS", "AA", "IRA"): it must match with its case."""
    bare = alias.strip()
    return bare.isupper() and (len(bare) <= 2 or bare.lower() in _COMMON_WORDS)


@dataclass(frozen=True, kw_only=True)
class ActorEntry:
    """One actor of the knowledge base, as the data file describes it.

    ``source`` says where it came from ("kb", "generated", "user", "learned"); ``user_aliases`` lists the
    names a user's file gave it, which no other actor may take.
    """

    actor_id: str
    name: str
    type: str | None = None
    country: str | None = None
    aliases: tuple[str, ...] = ()
    shared_aliases: tuple[str, ...] = ()
    case_sensitive_aliases: tuple[str, ...] = ()
    founded: int | None = None
    cues: tuple[str, ...] = ()
    links: dict[str, tuple[str, ...]] = field(default_factory=dict)
    source: str = "kb"
    user_aliases: tuple[str, ...] = ()

    @property
    def is_state(self) -> bool:
        return self.type == "State forces"

    def names(self) -> tuple[str, ...]:
        """The canonical name and every alias (shared and case-sensitive ones included), deduplicated."""
        seen: dict[str, None] = {}
        for name in (self.name, *self.aliases, *self.shared_aliases, *self.case_sensitive_aliases):
            seen.setdefault(name, None)
        return tuple(seen)


@dataclass(frozen=True, kw_only=True)
class CountryForms:
    """How text names one country: display name (with "the" when it takes one), other names, demonyms."""

    code: str
    name: str
    the: bool = False
    names: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()

    @property
    def display(self) -> str:
        return f"the {self.name}" if self.the else self.name


def read_yaml(path: str | Path | None) -> dict[str, Any]:
    """The parsed data file (the shipped one when ``path`` is None); coded errors for a bad user file."""
    import yaml  # PyYAML: imported here so that importing conflictlens stays light

    if path is None:
        text = resources.files("conflictlens").joinpath("data/actors.yaml").read_text(encoding="utf-8")
        where = "conflictlens/data/actors.yaml"
    else:
        p = Path(path)
        if not p.exists():
            raise InputError("E101", "actor knowledge base file", path=str(p))
        try:
            text = p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError("E111", str(exc), path=str(p)) from exc
        where = str(p)
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise InputError("E111", f"not valid YAML: {exc}", path=where) from exc
    if not isinstance(data, dict):
        raise InputError("E113", "expected a mapping with 'actors' and/or 'countries'", path=where)
    if not isinstance(data.get("actors") or [], list) or not isinstance(data.get("countries") or {}, dict):
        raise InputError("E113", "'actors' must be a list and 'countries' a mapping", path=where)
    data["_where"] = where
    return data


def _strings(value: Any, what: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
        return tuple(str(v) for v in value)
    raise InputError("E113", f"{what} must be a string or a list of strings", path=where)


def _union(*groups: tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        for item in group:
            seen.setdefault(item, None)
    return tuple(seen)


def merge_entry(base: ActorEntry | None, raw: dict[str, Any], *, source: str, where: str) -> ActorEntry:
    """``base`` updated by one raw record: scalar fields replace, alias lists add, link types replace."""
    actor_id = raw.get("id")
    if not isinstance(actor_id, str) or not actor_id.strip():
        raise InputError("E113", "every actor needs an 'id'", path=where)
    name = raw.get("name")
    if base is None and not isinstance(name, str):
        raise InputError("E113", f"new actor {actor_id!r} needs a 'name'", path=where)
    actor_type = raw.get("type")
    if actor_type is not None and actor_type not in ACTOR_TYPES:
        raise InputError("E113", f"actor {actor_id!r}: unknown type {actor_type!r}", path=where)
    links = dict(base.links) if base else {}
    raw_links = raw.get("links") or {}
    if not isinstance(raw_links, dict):
        raise InputError("E113", f"actor {actor_id!r}: 'links' must be a mapping", path=where)
    for link_type, targets in raw_links.items():
        if link_type not in LINK_TYPES:
            raise InputError("E113", f"actor {actor_id!r}: unknown link {link_type!r}", path=where)
        links[link_type] = _strings(targets, f"links.{link_type}", where)
    aliases = _strings(raw.get("aliases"), "aliases", where)
    shared = _strings(raw.get("shared_aliases"), "shared_aliases", where)
    cased = _strings(raw.get("case_sensitive_aliases"), "case_sensitive_aliases", where)
    removed = {alias_key(a) for a in _strings(raw.get("remove_aliases"), "remove_aliases", where)}
    if base is None:
        base = ActorEntry(actor_id=actor_id, name=str(name), source=source)
    new_name = str(name) if isinstance(name, str) else base.name
    old_names = (base.name,) if new_name != base.name else ()

    def keep(names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(n for n in names if alias_key(n) not in removed and n != new_name)

    founded = raw.get("founded", base.founded)
    country = raw.get("country", base.country)
    return replace(
        base,
        name=new_name,
        type=actor_type or base.type,
        country=str(country).upper() if country else None,
        aliases=keep(_union(base.aliases, old_names, aliases)),
        shared_aliases=keep(_union(base.shared_aliases, shared)),
        case_sensitive_aliases=keep(_union(base.case_sensitive_aliases, cased)),
        founded=int(founded) if founded not in (None, "") else None,
        cues=_union(base.cues, _strings(raw.get("cues"), "cues", where)),
        links=links,
        source=source if source == "user" else base.source,
        user_aliases=_union(base.user_aliases, (new_name, *aliases, *cased) if source == "user" else ()),
    )


def country_table(raw: dict[str, Any], base: dict[str, CountryForms] | None = None) -> dict[str, CountryForms]:
    """Every pycountry country (plus any extra code in the table), with names and demonyms."""
    import pycountry

    table = dict(base or {})
    where = raw.get("_where", "actors.yaml")
    # YAML 1.1 reads an unquoted NO (Norway) as false: take it back
    rows: dict[str, dict[str, Any]] = {("NO" if k is False else str(k)): v for k, v in
                                       (raw.get("countries") or {}).items()}
    codes = [c.alpha_2 for c in pycountry.countries] if base is None else []
    codes += [str(c).upper() for c in rows if str(c).upper() not in codes]
    for code in codes:
        row = rows.get(code) or rows.get(code.lower()) or {}
        if not isinstance(row, dict):
            raise InputError("E113", f"countries.{code} must be a mapping", path=where)
        old = table.get(code)
        country = pycountry.countries.get(alpha_2=code)
        fallback = getattr(country, "common_name", None) or getattr(country, "name", None) or code
        name = row.get("name") or (old.name if old else fallback)
        official = getattr(country, "official_name", None)
        names = _strings(row.get("names"), f"countries.{code}.names", where)
        pc_names = tuple(n for n in (getattr(country, "name", None), official) if n and "," not in n)
        table[code] = CountryForms(
            code=code,
            name=name,
            the=bool(row.get("the", old.the if old else False)),
            names=_union(old.names if old else (), pc_names, names),
            demonyms=_union(old.demonyms if old else (),
                            _strings(row.get("demonyms"), f"countries.{code}.demonyms", where)),
        )
    return table


def state_entries(countries: dict[str, CountryForms]) -> dict[str, ActorEntry]:
    """``military-xx`` and ``police-xx`` for every country, with aliases built from names and demonyms."""
    out: dict[str, ActorEntry] = {}
    for code, forms in countries.items():
        lower = code.lower()
        places = _union((forms.name,), forms.names)
        mil: list[str] = [f"Armed Forces of {forms.display}", f"Army of {forms.display}"]
        pol: list[str] = []
        for place in places:
            mil += [f"{place} Army", f"{place} armed forces", f"{place} military", f"{place}'s army",
                    f"{place}'s military", f"{place}'s armed forces", f"{place} security forces"]
            pol += [f"{place} police", f"{place}'s police"]
        for demonym in forms.demonyms:
            mil += [f"{demonym} {noun}" for noun in _GEN_MILITARY]
            pol += [f"{demonym} {noun}" for noun in _GEN_POLICE]
        out[f"military-{lower}"] = ActorEntry(
            actor_id=f"military-{lower}", name=f"Military Forces of {forms.display}", type="State forces",
            country=code, aliases=_union(tuple(mil)), source="generated")
        out[f"police-{lower}"] = ActorEntry(
            actor_id=f"police-{lower}", name=f"Police Forces of {forms.display}", type="State forces",
            country=code, aliases=_union(tuple(pol)), source="generated")
    return out


def build_entries(
    shipped: dict[str, Any], user: dict[str, Any] | None = None
) -> tuple[dict[str, ActorEntry], dict[str, CountryForms]]:
    """All actors (shipped, generated state forces, then the user's file on top) and the country table."""
    countries = country_table(shipped)
    if user and user.get("countries"):
        countries = country_table(user, countries)
    entries = state_entries(countries)
    for raw in shipped.get("actors") or []:
        rid = raw.get("id") if isinstance(raw, dict) else None
        entries[rid] = merge_entry(entries.get(rid), raw, source="kb", where=shipped["_where"])
    for raw in (user or {}).get("actors") or []:
        if not isinstance(raw, dict):
            raise InputError("E113", "each actor must be a mapping", path=user.get("_where") if user else None)
        rid = raw.get("id")
        entries[rid] = merge_entry(entries.get(rid), raw, source="user", where=user["_where"])
    return entries, countries


# ---------------------------------------------------------------- scanning text for keys
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_JOIN = re.compile(r"\s*[-\u2013/()]?\s*")
_ABBREV_JOIN = re.compile(r"\.\s*-?\s*")


def prefix_set(keys: Iterable[str]) -> set[str]:
    """Every word prefix of every key ("a b c" gives "a", "a b", "a b c"), for ``scan_keys``."""
    out = set()
    for key in keys:
        words = key.split()
        out.update(" ".join(words[:n]) for n in range(1, len(words) + 1))
    return out


def scan_keys(text: str, known: Any, max_words: int = 12, *, prefixes: Any = None
              ) -> Iterator[tuple[int, int, str]]:
    """(start, end, key) of the longest word n-grams of ``text`` whose ``alias_key`` satisfies ``known``
    (a predicate), left to right, not overlapping; words join across spaces, hyphens and "U.S."-dots.
    ``prefixes`` (a set of the word prefixes of all keys) lets the scan stop early."""
    tokens = [(m.start(), m.end(), _token_key(m.group())) for m in _WORD.finditer(text)]
    i = 0
    while i < len(tokens):
        best, key, j = 0, "", i
        while j < len(tokens) and j - i < max_words:
            if j > i and not _joins(text, tokens[j - 1], tokens[j]):
                break
            part = tokens[j][2]
            key = f"{key} {part}".strip() if part else key
            if prefixes is not None and key not in prefixes:
                break
            j += 1
            if key and known(key):
                best = j
        if best:
            key = " ".join(t[2] for t in tokens[i:best] if t[2])
            yield tokens[i][0], tokens[best - 1][1], key
            i = best
        else:
            i += 1


def _token_key(word: str) -> str:
    if word.isascii() and word.isalnum():
        return word.lower()
    return alias_key(word)


def _joins(text: str, prev: tuple[int, int, str], cur: tuple[int, int, str]) -> bool:
    gap = text[prev[1]:cur[0]]
    if _JOIN.fullmatch(gap) and "\n\n" not in gap:
        return True
    return prev[1] - prev[0] == 1 and bool(_ABBREV_JOIN.fullmatch(gap))
