"""Actor resolution: a mention as written ("TTP", "Pakistan's army", "Taliban") -> a canonical actor.

``ActorKB`` indexes every name of every actor in the knowledge base (``actor_data.py``) by its lookup key, so
matching ignores case, punctuation, hyphens, accents and possessives. State forces are matched by a small
grammar as well ("Turkish drone strikes", "troops of Mali"). A name several actors share (a bare "Taliban")
is decided by the article's context -- its country focus, date, places and other actors -- and the result
says ``uncertain=True`` when the context does not settle it.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ..model import Actor, ActorRef, ActorRelation
from . import actor_data
from .actor_data import ActorEntry, CountryForms, alias_key, fold, needs_case, prefix_set, scan_keys

_MILITARY = frozenset(actor_data.MILITARY_NOUNS)
_POLICE = frozenset(actor_data.POLICE_NOUNS)
_FORCE_ADJECTIVES = frozenset("government regime federal national state paramilitary elite special local "
                              "provincial allied loyalist".split())
_GENERIC_TAIL = re.compile(
    r"\s(?:(?:terrorist|terror|militant|rebel|armed|insurgent|guerrilla|extremist|jihadist)\s)?"
    r"(?:groups?|militants?|fighters?|rebels?|insurgents?|guerr?ill?as?|terrorists?|members?|cadres?|"
    r"extremists?|jihadists?|gunmen|militias?|militiamen|operatives|organi[sz]ation|outfit|units?|"
    r"commanders?|leadership|column|cells?|elements|loyalists|forces)$")
_GENERIC_HEAD = re.compile(
    r"^(?:(?:suspected|alleged|presumed|so called|self styled)\s)?"
    r"(?:(?:a\s)?(?:members?|fighters?|militants?|guerr?ill?as?|rebels?|elements|units?|troops|cadres?|"
    r"supporters|remnants|commandos|group|column|cell|faction|band|gunmen|forces|terrorists?)\s"
    r"(?:of|from|belonging to|loyal to|linked to|affiliated with)\s)?(?:the\s)?")


@dataclass(frozen=True, kw_only=True)
class ActorContext:
    """What an article says around a mention: used to decide names that several actors share.

    ``countries``: the article's country focus (ISO2), most salient first; ``date``: ISO date of the event
    or, failing that, of publication; ``actor_ids``: actors already resolved in the article; ``places``:
    place names the article mentions.
    """

    countries: tuple[str, ...] = ()
    date: str | None = None
    actor_ids: tuple[str, ...] = ()
    places: tuple[str, ...] = ()

    @classmethod
    def from_text(cls, text: str, kb: ActorKB, *, date: str | None = None,
                  countries: Iterable[str] = (), places: Iterable[str] = ()) -> ActorContext:
        """A context read from the article itself: countries named in it (most often first) and the actors
        it names unambiguously; ``countries``/``places`` given by the caller (e.g. the geocoder) come first."""
        given = [c.upper() for c in countries]
        counted = [c for c, _ in kb.country_mentions(text).most_common() if c not in given]
        ids = []
        for mention in kb.find_mentions(text):
            if len(mention.candidates) == 1 and mention.candidates[0] not in ids:
                ids.append(mention.candidates[0])
        return cls(countries=tuple(given + counted), date=date, actor_ids=tuple(ids), places=tuple(places))


@dataclass(frozen=True, kw_only=True)
class ResolvedActor:
    """A mention resolved to a KB actor, with why, and how sure (``uncertain`` when the context did not
    settle a shared name); ``candidates`` lists every actor the name could have meant."""

    actor_id: str
    name: str
    mention: str
    type: str | None = None
    country: str | None = None
    uncertain: bool = False
    reason: str = ""
    candidates: tuple[str, ...] = ()

    def to_ref(self) -> ActorRef:
        return ActorRef(name=self.name, mention=self.mention, actor_id=self.actor_id, uncertain=self.uncertain)


@dataclass(frozen=True)
class KBMention:
    """A stretch ``[start, end)`` of a text that is a name in the KB, and the actors it may name."""

    start: int
    end: int
    text: str
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class _Cand:
    actor_id: str
    strong: bool  # False for a shared alias ("Taliban" for the TTP)
    cased: str | None  # the exact form an ambiguous acronym must have ("IS")
    user: bool  # the user's file gave this name


class ActorKB:
    """The actor knowledge base with its name index. Build it with ``ActorKB.load()``."""

    def __init__(self, entries: dict[str, ActorEntry], countries: dict[str, CountryForms]) -> None:
        self._entries = dict(entries)
        self._countries = dict(countries)
        self._index: dict[str, list[_Cand]] = {}
        for entry in self._entries.values():
            self._add_names(entry)
        for key, cands in self._index.items():
            if any(c.user for c in cands):  # a name from the user's file belongs to the user's actor
                self._index[key] = [c for c in cands if c.user]
        self._compact = {}
        for key, cands in self._index.items():
            self._compact.setdefault(key.replace(" ", ""), cands)
        self._max_words = max((k.count(" ") + 1 for k in self._index), default=1)
        self._forms: dict[str, str] = {}
        self._cased_forms: dict[str, str] = {}
        for code, forms in self._countries.items():
            for form in (forms.name, *forms.names, *forms.demonyms, *_plurals(forms.demonyms)):
                key = alias_key(form)
                if key and needs_case(form):
                    self._cased_forms[key] = form
                if key:
                    self._forms.setdefault(key, code)
        self._max_form_words = max((k.count(" ") + 1 for k in self._forms), default=1)
        self._prefixes = prefix_set(self._index)
        self._patterns: dict[tuple[str, bool], list[dict[str, Any]]] = {}
        self._form_prefixes = prefix_set(self._forms)

    # ------------------------------------------------------------------ loading and lookup
    @classmethod
    def load(cls, *, user_file: str | Path | None = None) -> ActorKB:
        """The shipped KB (loaded once per process), or the shipped KB with ``user_file`` merged on top."""
        if user_file is None:
            return _default_kb()
        entries, countries = actor_data.build_entries(_shipped_data(), actor_data.read_yaml(user_file))
        return cls(entries, countries)

    def get(self, actor_id: str) -> ActorEntry | None:
        return self._entries.get(actor_id)

    def all(self, *, include_state_forces: bool = True) -> list[ActorEntry]:
        return [e for e in self._entries.values() if include_state_forces or e.source != "generated"]

    def with_entries(self, entries: Iterable[ActorEntry]) -> ActorKB:
        """A new KB with ``entries`` added or replaced (used for actors learned from text)."""
        merged = dict(self._entries)
        merged.update({e.actor_id: e for e in entries})
        return ActorKB(merged, self._countries)

    def actor(self, actor_id: str) -> Actor | None:
        """The export record (DESIGN.md "Actor") of one KB actor, its KB links as relations."""
        entry = self._entries.get(actor_id)
        if entry is None:
            return None
        relations = [
            ActorRelation(type=link, actor_id=target, name=self._entries[target].name if target in
                          self._entries else target)
            for link, targets in entry.links.items() for target in targets
        ]
        aliases = [a for a in entry.names() if a != entry.name]
        return Actor(actor_id=entry.actor_id, name=entry.name, type=entry.type, country=entry.country,
                     aliases=aliases, relations=relations)

    def candidates(self, name: str) -> tuple[str, ...]:
        """Every actor id ``name`` may refer to (several for a shared name such as "Taliban")."""
        return tuple(dict.fromkeys(c.actor_id for c in self._lookup(alias_key(name), name)))

    def ambiguous_names(self) -> dict[str, list[str]]:
        """Lookup keys that two or more actors claim as their own (not as a shared alias): data smells."""
        out = {}
        for key, cands in self._index.items():
            strong = sorted({c.actor_id for c in cands if c.strong})
            if len(strong) > 1:
                out[key] = strong
        return out

    # ------------------------------------------------------------------ resolution
    def resolve(self, mention: str, *, context: ActorContext | None = None) -> ResolvedActor | None:
        """The actor ``mention`` names, or None. Shared names are decided by ``context``."""
        core = mention.strip().strip("\"'\u201c\u201d\u2018\u2019`.,;:")
        key = alias_key(core)
        if not key:
            return None
        head_stripped = _GENERIC_HEAD.sub("", key, count=1)
        for candidate_key in dict.fromkeys([key, head_stripped, *_strip_tail(head_stripped)]):
            if not candidate_key:
                continue
            cands = self._lookup(candidate_key, core)
            if cands:
                return self._choose(cands, mention, context)
            state = self._state_forces(candidate_key, core)
            if state:
                return self._result(state, mention, reason="country name or demonym with a force noun")
        return self._bare_force(key, mention, context)

    def _lookup(self, key: str, core: str) -> list[_Cand]:
        cands = self._index.get(key) or self._compact.get(key.replace(" ", "")) or []
        plain = fold(core).strip()
        plain = re.sub(r"^(?i:the)\s+", "", plain)
        plain = re.sub(r"['\u2019]s$", "", plain)
        return [c for c in cands if c.cased is None or plain == fold(c.cased)]

    def _choose(self, cands: list[_Cand], mention: str, context: ActorContext | None) -> ResolvedActor:
        ids = list(dict.fromkeys(c.actor_id for c in cands))
        if len(ids) == 1:
            return self._result(ids[0], mention, reason="name in the knowledge base")
        strong = {c.actor_id for c in cands if c.strong}
        context = context or ActorContext()
        year = int(context.date[:4]) if context.date and context.date[:4].isdigit() else None
        alive = [i for i in ids if not (year and (self._entries[i].founded or 0) > year)]
        pool = alive or ids
        scored = sorted(((self._score(i, i in strong, context), -ids.index(i), i) for i in pool), reverse=True)
        (best, _, best_id), runner = scored[0], scored[1][0] if len(scored) > 1 else float("-inf")
        uncertain = best - runner < 2.0
        why = [f"'{mention.strip()}' may name {', '.join(ids)}"]
        if len(alive) < len(ids):
            why.append(f"founded after {year}: {', '.join(i for i in ids if i not in alive)}")
        why.append("context decides" if not uncertain else "context does not decide; best guess")
        return self._result(best_id, mention, uncertain=uncertain, reason="; ".join(why), candidates=tuple(ids))

    def _score(self, actor_id: str, strong: bool, context: ActorContext) -> float:
        entry = self._entries[actor_id]
        score = 1.0 if strong else 0.0
        if context.countries:
            if entry.country == context.countries[0]:
                score += 3.0
            elif entry.country in context.countries[1:3]:
                score += 1.0
        if actor_id in context.actor_ids:
            score += 4.0
        for other in context.actor_ids:
            other_entry = self._entries.get(other)
            if other_entry is None or other == actor_id:
                continue
            if actor_id in _targets(other_entry) or other in _targets(entry):
                score += 2.0
            elif other_entry.country == entry.country and not other_entry.is_state:
                score += 0.5
        cues = {alias_key(c) for c in entry.cues}
        score += min(3, sum(1 for p in context.places if alias_key(p) in cues))
        return score

    def _state_forces(self, key: str, core: str) -> str | None:
        words = key.split()
        of = re.fullmatch(r"(.+?) of (?:the )?(.+)", key)
        if of and _force_kind(of.group(1).split()) and of.group(2) in self._forms:
            return f"{_force_kind(of.group(1).split())}-{self._forms[of.group(2)].lower()}"
        for n in range(min(len(words) - 1, self._max_form_words), 0, -1):
            form = " ".join(words[:n])
            code = self._forms.get(form)
            if code is None:
                continue
            cased = self._cased_forms.get(form)
            if cased and not re.match(rf"(?:(?i:the)\s+)?{re.escape(cased)}\b", core):
                continue
            kind = _force_kind(words[n:])
            if kind:
                return f"{kind}-{code.lower()}"
        return None

    def _bare_force(self, key: str, mention: str, context: ActorContext | None) -> ResolvedActor | None:
        kind = _force_kind(key.split(), whole=True)
        if not kind or context is None or not context.countries:
            return None
        actor_id = f"{kind}-{context.countries[0].lower()}"
        if actor_id not in self._entries:
            return None
        return self._result(actor_id, mention, uncertain=len(set(context.countries[:2])) > 1,
                            reason="force noun without a country: the article's country focus")

    def _result(self, actor_id: str, mention: str, *, uncertain: bool = False, reason: str = "",
                candidates: tuple[str, ...] = ()) -> ResolvedActor:
        entry = self._entries[actor_id]
        return ResolvedActor(actor_id=actor_id, name=entry.name, mention=mention, type=entry.type,
                             country=entry.country, uncertain=uncertain, reason=reason,
                             candidates=candidates or (actor_id,))

    # ------------------------------------------------------------------ scanning text
    def find_mentions(self, text: str) -> list[KBMention]:
        """Every longest, non-overlapping KB name in ``text`` (case-insensitive, like ``resolve``)."""
        out = []
        for start, end, key in scan_keys(text, self._index.keys().__contains__, self._max_words,
                                         prefixes=self._prefixes):
            cands = self._lookup(key, text[start:end])
            if cands:
                ids = tuple(dict.fromkeys(c.actor_id for c in cands))
                out.append(KBMention(start, end, text[start:end], ids))
        return out

    def country_mentions(self, text: str) -> Counter[str]:
        """How often ``text`` names each country (names and demonyms), by ISO2 code."""
        counts: Counter[str] = Counter()
        for start, end, key in scan_keys(text, self._forms.__contains__, self._max_form_words,
                                         prefixes=self._form_prefixes):
            cased = self._cased_forms.get(key)
            if cased and text[start:end] != cased:
                continue
            counts[self._forms[key]] += 1
        return counts

    # ------------------------------------------------------------------ spaCy patterns
    def patterns(self, *, label: str = "ORG", include_state_forces: bool = True, nlp: Any = None
                 ) -> list[dict[str, Any]]:
        """EntityRuler token patterns (``LOWER``, so case-insensitive; ``ORTH`` for acronyms that are also
        words) for every name, with ``id`` = actor id. ``nlp`` gives the tokenizer (blank English if None)."""
        from .actor_patterns import build_patterns

        if nlp is not None:
            return build_patterns(self, label=label, include_state_forces=include_state_forces, nlp=nlp)
        memo_key = (label, include_state_forces)
        if memo_key not in self._patterns:  # building takes a second or two: once per KB is enough
            self._patterns[memo_key] = build_patterns(self, label=label,
                                                      include_state_forces=include_state_forces, nlp=None)
        return [dict(p) for p in self._patterns[memo_key]]

    def countries(self) -> dict[str, CountryForms]:
        return dict(self._countries)

    # ------------------------------------------------------------------ index building
    def _add_names(self, entry: ActorEntry) -> None:
        user = {alias_key(a) for a in entry.user_aliases}
        groups = ((entry.name, *entry.aliases), entry.shared_aliases, entry.case_sensitive_aliases)
        for group_no, names in enumerate(groups):
            for name in names:
                key = alias_key(name)
                if not key:
                    continue
                cased = name.strip() if group_no == 2 or needs_case(name) else None
                cand = _Cand(entry.actor_id, group_no != 1, cased, key in user)
                bucket = self._index.setdefault(key, [])
                same = [c for c in bucket if c.actor_id == entry.actor_id]
                if not same:
                    bucket.append(cand)
                elif cand.strong and not same[0].strong:
                    bucket[bucket.index(same[0])] = cand


@functools.lru_cache(maxsize=1)
def _shipped_data() -> dict[str, Any]:
    return actor_data.read_yaml(None)


@functools.lru_cache(maxsize=1)
def _default_kb() -> ActorKB:
    entries, countries = actor_data.build_entries(_shipped_data())
    return ActorKB(entries, countries)


def _plurals(demonyms: Iterable[str]) -> list[str]:
    return [d + "s" for d in demonyms if d[-1:] in "ni" or d.endswith(("ot", "ar", "ek", "ab", "ch"))]


def _targets(entry: ActorEntry) -> set[str]:
    return {t for targets in entry.links.values() for t in targets}


def _force_kind(words: list[str], *, whole: bool = False) -> str | None:
    """"military"/"police" when ``words`` start with (or, with ``whole``, are) a force noun phrase."""
    if words and words[0] in _FORCE_ADJECTIVES and len(words) > 1:
        found = _force_kind(words[1:], whole=whole)
        if found:
            return found
    for n in range(min(len(words), 3), 0, -1):
        if whole and n != len(words):
            continue
        phrase = " ".join(words[:n])
        if phrase in _POLICE:
            return "police"
        if phrase in _MILITARY:
            return "military"
    return None


def _strip_tail(key: str) -> list[str]:
    out = []
    for _ in range(2):
        stripped = _GENERIC_TAIL.sub("", key)
        if stripped == key:
            break
        out.append(stripped)
        key = stripped
    return out
