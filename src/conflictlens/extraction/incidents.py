"""Within-article coreference: triggers -> incidents (one per real-world incident the article reports).

Rules, in order, for each trigger (text order):
1. a trigger in the same sentence as an incident's trigger joins it, unless its own date or status differs;
2. a trigger with its own date joins the incident with the same date text, or the main incident when that one
   has no date yet and the date is recent ("on Tuesday", not "in 2008"), else starts a new incident;
3. "the attack" / "the siege" (definite, no date of its own) joins the latest incident of the same kind
   mentioned in the previous sentence, else the main incident;
4. other triggers join the latest compatible incident unless they name a different place;
5. a weak or general trigger ("killed", "attacked", "clashes") never starts an incident alone unless its
   sentence has violent context (a weapon, a casualty, an armed actor, a known group).
Protests, riots and arrests never share an incident with an attack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import STATE_FORCES, GROUPS, PERP_KILLED_NOUNS, TARGET_NOUNS, VICTIM_NOUNS, WEAPONS
from .roles import Role
from .timeplace import dates_for, places_for
from .spans import Context
from ..taxonomy import family
from .triggers import Trigger

_BACKGROUND = re.compile(
    r"\b(ago|last year|last month|previous|earlier this year|in (?:19|20)\d\d|^(?:19|20)\d\d$|"
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
    r"(?: of)? (?:(?:19|20)\d\d|last year|this year))\b"
)
_DAYLIKE = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|\d{1,2}|"
                      r"january|february|march|april|may|june|july|august|september|october|november|december|"
                      r"week|month|year)\b")
_RECENT = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tonight|"
                     r"morning|evening|night|afternoon|\d{1,2}(?:st|nd|rd|th)?)\b")
# Words that make a general or ambiguous trigger ("attack", "clash", "stormed", "explosion") political
# violence rather than sport, markets, film shoots or a heart attack.
VIOLENT_CONTEXT = (frozenset(w.split()[-1] for w in WEAPONS) - {"fire", "club", "stone", "weapon", "truck",
                                                                "vehicle", "line", "shell", "mine", "petrol"}
                   | PERP_KILLED_NOUNS
                   | {"kill", "wound", "injure", "soldier", "troop", "army", "hostage", "gunfire", "explosive",
                      "armed", "militant", "insurgent", "police", "policeman", "military", "civilian", "casualty",
                      "checkpoint", "militia", "jihadist", "gunman", "gunmen", "rioter", "mob", "security", "base",
                      "barracks", "convoy", "outpost", "garrison", "embassy", "insurgency", "rebellion"})
PROTEST_CONTEXT = frozenset({"protester", "demonstrator", "crowd", "thousand", "hundred", "street", "march",
                             "gather", "chant", "placard", "slogan", "tear", "square", "supporter", "activist"})
POLITICAL_CONTEXT = frozenset({"suspect", "terror", "terrorism", "terrorist", "plot", "protest", "protester",
                               "activist", "opposition", "militant", "insurgent", "rebel", "bomb", "attack",
                               "journalist", "dissident", "separatist", "extremist", "jihadist"})


@dataclass
class Incident:
    """Triggers that report one incident, with the date and place found so far."""

    family: str
    triggers: list[Trigger] = field(default_factory=list)
    date: Role | None = None
    place: Role | None = None
    place_rank: int = 9
    sents: set[int] = field(default_factory=set)

    @property
    def status(self) -> str:
        statuses = [t.status for t in self.triggers]
        return "foiled" if "foiled" in statuses else statuses[0]

    @property
    def background(self) -> bool:
        return self.date is not None and is_background(self.date.mention)


def is_background(date_text: str) -> bool:
    low = date_text.lower()
    return bool(_BACKGROUND.search(low)) and not _RECENT.search(low)


def _norm(text: str) -> str:
    return re.sub(r"^(?:on|in|at|the)\s+", "", text.lower().strip())


def has_context(ctx: Context, trig: Trigger) -> bool:
    """Does the trigger's sentence describe violence (or a street protest), so a general word is an incident?"""
    sent = trig.token.sent
    if trig.kind == "protest":
        return any(t.lemma_.lower() in PROTEST_CONTEXT for t in sent)
    if trig.kind == "arrest":
        return any(t.lemma_.lower() in POLITICAL_CONTEXT | VIOLENT_CONTEXT for t in sent) or any(
            t.ent_type_ == "ORG" and t.ent_id_ in GROUPS for t in sent)
    for t in sent:
        lemma = t.lemma_.lower()
        if t.i != trig.token.i and lemma in VIOLENT_CONTEXT:
            return True
        if t.ent_type_ == "ORG" and t.ent_id_ in GROUPS:
            return True
    if trig.kind == "attack" and not trig.is_noun:
        objs = [c for c in trig.token.children if c.dep_ in {"dobj", "nsubjpass"}]
        return any(o.lemma_.lower() in TARGET_NOUNS for o in objs)
    if trig.kind == "killing" and trig.specificity >= 1:
        return _names_a_victim(trig)
    return False


# people a murder is told of beyond the victim nouns ("the bodies of the Jesuits murdered ...")
PEOPLE_NOUNS = frozenset({"body", "jesuit", "nun", "bishop", "archbishop", "mayor", "judge", "candidate", "leader",
                          "official", "diplomat", "activist", "lawyer", "politician", "councillor", "governor"})


def _names_a_victim(trig: Trigger) -> bool:
    """A murder or an assassination of someone in particular: "the murder of Jecar Neghme", "the Jesuits
    murdered last Friday", "assassinated the mayor". "Murder rates rose" names nobody and is no incident."""
    tok = trig.token
    near = [c for c in tok.children if c.dep_ in {"dobj", "nsubjpass", "poss"}]
    near += [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
    if tok.dep_ in {"acl", "relcl", "amod"}:  # "the Jesuits murdered ...", "the murdered priests"
        near.append(tok.head)
    return any(t.ent_type_ == "PERSON" or t.lemma_.lower() in VICTIM_NOUNS or t.lemma_.lower() in PEOPLE_NOUNS
               for t in near)


def group_triggers(ctx: Context, triggers: list[Trigger]) -> list[Incident]:
    """Cluster the article's triggers into incidents (see the module docstring for the rules)."""
    incidents: list[Incident] = []
    for trig in triggers:
        fam = family(trig.kind)
        sent_k = ctx.sent_of[trig.token.i]
        dates = dates_for(ctx, trig)
        places = places_for(ctx, trig)
        date = dates[0] if dates else None
        place = places[0] if places else None
        same = [g for g in incidents if g.family == fam]
        chosen = _choose(ctx, trig, same, sent_k, date, place)
        if chosen is None:
            if trig.specificity <= 2 and not has_context(ctx, trig):
                continue
            chosen = Incident(family=fam)
            incidents.append(chosen)
        chosen.triggers.append(trig)
        chosen.sents.add(sent_k)
        if chosen.date is None and date is not None:
            chosen.date = date
        if place is not None and (chosen.place is None or _place_rank(places, place) < chosen.place_rank):
            chosen.place = place
            chosen.place_rank = _place_rank(places, place)
    return _absorb_into_foiled(incidents)


def _absorb_into_foiled(incidents: list[Incident]) -> list[Incident]:
    """Arrests and raids by the security forces in a report of a foiled plot are how it was foiled."""
    foiled = [g for g in incidents if g.status == "foiled"]
    if not foiled:
        return incidents
    target = foiled[0]
    out = []
    for g in incidents:
        if g is not target and g.status != "foiled" and all(
                t.kind == "arrest" or (t.kind in {"armed", "attack"} and _by_state(t)) for t in g.triggers):
            target.triggers.extend(g.triggers)
            target.sents |= g.sents
            target.date = target.date or g.date
            target.place = target.place or g.place
            continue
        out.append(g)
    target.triggers.sort(key=lambda t: t.start)
    return out


def _by_state(trig: Trigger) -> bool:
    subj = [c for c in trig.token.children if c.dep_ == "nsubj"]
    return bool(subj) and (subj[0].lemma_.lower() in STATE_FORCES or any(
        c.lemma_.lower() in STATE_FORCES for c in subj[0].children))


def _choose(ctx: Context, trig: Trigger, same: list[Incident], sent_k: int, date: Role | None,
            place: Role | None) -> Incident | None:
    if not same:
        return None
    compatible = [g for g in same if g.status == trig.status or trig.specificity == 0]
    if not compatible:
        return None
    if date is not None and not _DAYLIKE.search(date.mention.lower()) and not is_background(date.mention):
        date = None  # a time of day alone ("shortly after midnight") does not tell incidents apart
    # 1. same sentence
    for g in reversed(compatible):
        if sent_k in g.sents:
            if date is not None and g.date is not None and _norm(date.mention) != _norm(g.date.mention):
                continue
            return g
    if trig.definite and (date is None or not is_background(date.mention)):
        prev = [g for g in compatible if (sent_k - 1) in g.sents and any(t.kind == trig.kind for t in g.triggers)]
        if prev:
            return prev[-1]
        current = [g for g in compatible if not g.background]
        return current[0] if current else compatible[-1]
    # 2. own date
    if date is not None:
        for g in compatible:
            if g.date is not None and _norm(g.date.mention) == _norm(date.mention):
                return g
        if is_background(date.mention):
            return None
        main = next((g for g in compatible if not g.background), None)
        if main is not None and main.date is None:
            return main
        return None
    current = [g for g in compatible if not g.background]
    # 4. otherwise: the latest incident without a conflicting place
    pool = current or compatible
    for g in reversed(pool):
        if place is not None and g.place is not None and _place_conflict(place.mention, g.place.mention):
            continue
        return g
    return None


def _place_rank(places: list[Role], place: Role) -> int:
    """0 for a locality, higher for a place that is really a target or a larger area (see roles.places_for)."""
    return getattr(place, "rank", 0)


def _place_conflict(a: str, b: str) -> bool:
    a, b = _norm(a), _norm(b)
    return not (a in b or b in a)
