"""Roles around one trigger: who did it, what and whom it hit, with what, when and where.

Everything is read from the dependency parse around the trigger (subject, object, "by"/"on"/"at"/"in"
phrases, possessives and compounds) and typed with the lexicons; each value keeps the character range it
was read from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from .lexicon import (
    ACCUSED_ADJ, ACCUSED_VERBS, ATTRIBUTE_VERBS, NAME_PREFIXES, PERP_NOUNS, STATE_FORCES, TARGET_MODIFIERS,
    TARGET_NOUNS, VICTIM_NOUNS, WEAPON_NEEDS_KIND, WEAPONS,
)
from .spans import Context, np_edges
from .triggers import Trigger

LAUNCH_VERBS = frozenset({"launch", "carry", "conduct", "stage", "mount", "perpetrate", "execute", "set", "detonate",
                          "plant", "trigger", "commit", "unleash", "lead", "organise", "organize", "order", "fire"})
DROP_LEADING_WORDS = frozenset({"the", "a", "an"})
PERSON_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "who", "which", "that", "i", "you", "them", "him"})
GROUP_WORDS = frozenset({"group", "organization", "organisation", "movement", "faction", "outfit", "network"})
# Heads that, owned by a country ("Pakistani troops", "Israel's warplanes", "a U.S. drone strike"), name the
# state's forces; the actor stage resolves the phrase to "Military Forces of <country>".
STATE_FORCE_HEADS = STATE_FORCES - {"government", "officer", "security", "guard"} | {
    "navy", "jet", "warplane", "aircraft", "plane", "drone", "helicopter", "gunship", "artillery", "tank"}
_COUNTRY_LABELS = frozenset({"GPE", "NORP"})


def state_force_role(ctx: Context, h: Token, reason: str, *, uncertain: bool) -> Role | None:
    """The state forces a country-owned noun phrase names: "Pakistani troops", "Nigeria's army", or the
    country modifier of an air-strike noun ("a U.S. drone strike" -> "U.S. drone")."""
    if ctx.ent_at[h.i] is not None and ctx.ent_at[h.i].label_ in _COUNTRY_LABELS and h.dep_ in {
            "compound", "amod", "nmod", "poss"} and h.head.pos_ == "NOUN":
        ent = ctx.ent_at[h.i]
        end = h.head  # "U.S. drone strike": from the country to the noun the strike is named by
        words = [t for t in ctx.doc[ent.start:end.i] if not t.is_punct or t.text == "."]
        if words and (_lemma(words[-1]) in STATE_FORCE_HEADS or _lemma(end) in STATE_FORCE_HEADS
                      or any(_lemma(t) in STATE_FORCE_HEADS for t in end.children)):
            first, last = ctx.doc[ent.start], words[-1]
            return Role("org", first.idx, last.idx + len(last.text), ctx.text(first, last),
                        name=clean_name(ctx.text(first, last)), uncertain=uncertain, reason=f"{reason}:state forces")
        return None
    if _lemma(h) not in STATE_FORCE_HEADS:
        return None
    first, _last = np_edges(h)
    owners = [t for t in ctx.doc[first.i:h.i] if ctx.ent_at[t.i] is not None and ctx.ent_at[t.i].label_ in _COUNTRY_LABELS]
    if not owners:
        return None
    start = ctx.doc[ctx.ent_at[owners[0].i].start]
    return Role("org", start.idx, h.idx + len(h.text), ctx.text(start, h), name=clean_name(ctx.text(start, h)),
                uncertain=uncertain, reason=f"{reason}:state forces")
UNCERTAIN = frozenset({"suspected", "alleged", "presumed", "possible", "apparent", "likely"})


@dataclass
class Role:
    """A filled role: its value fields and the span it came from."""

    kind: str  # "org" | "individual" | "target" | "victim" | "weapon" | "date" | "place"
    start: int
    end: int
    mention: str
    name: str | None = None
    type: str | None = None
    uncertain: bool = False
    reason: str = ""
    rank: int = 0  # places: 0 a locality, higher when less specific or really a target
    implied: bool = False  # weapons: a type read from the wording ("shot dead"), no weapon named
    instrument: bool = False  # weapons: what a verb of the sentence was done with ("attacked ... with rockets")


def _lemma(t: Token) -> str:
    return t.lemma_.lower() or t.lower_


def actor_roles(ctx: Context, head: Token, reason: str, *, uncertain: bool = False) -> list[Role]:
    """Organisations and individuals named by the noun phrase headed by ``head``."""
    if ctx.in_dateline(head):
        return []
    if head.lower_ in {"it", "they", "we"}:
        speaker = _speaker(head)
        if speaker is None:
            return []
        head = speaker
    elif head.lower_ in PERSON_PRONOUNS:
        return []
    out: list[Role] = []
    heads = [head] + [c for c in head.conjuncts if c.i > head.i]
    for h in heads:
        first, last = np_edges(h)
        sub = _subtree_without_clauses(h)
        unc = uncertain or any(c.lower_ in UNCERTAIN for c in h.children) or any(
            t.lower_ in UNCERTAIN | {"believed", "thought", "reportedly", "blamed"} for t in sub)
        ents = {id(e): e for i in range(first.i, last.i + 1) if (e := ctx.ent_at[i]) is not None}
        for t in sub:  # "armed men believed to belong to the ELN"
            e = ctx.ent_at[t.i]
            if e is not None and e.label_ == "ORG" and e.ent_id_:
                ents[id(e)] = e
        orgs = [e for e in ents.values() if e.label_ in {"ORG", "NORP"} and (e.ent_id_ or e.label_ == "ORG")]
        if not orgs and (state := state_force_role(ctx, h, reason, uncertain=unc)) is not None:
            out.append(state)
            continue
        if not orgs and _lemma(h) in GROUP_WORDS | {"it", "militant", "member"}:
            ref = latest_group(ctx, h)
            if ref is not None and _lemma(h) in GROUP_WORDS:
                orgs = [ref]
        for e in orgs:
            nxt = ctx.doc[e.end] if e.end < len(ctx.doc) else None
            if nxt is not None and (nxt.lower_ in {"-linked", "-affiliated"} or (nxt.text == "-" and e.end + 1 < len(
                    ctx.doc) and ctx.doc[e.end + 1].lower_ in {"linked", "affiliated", "backed", "allied", "aligned",
                                                                 "inspired", "led"})):
                continue  # "the al Qaeda-linked JNIM alliance" names JNIM, not al-Qaeda
            out.append(Role("org", e.start_char, e.end_char, ctx.article.text[e.start_char:e.end_char],
                            name=e.ent_id_ or clean_name(e.text), uncertain=unc, reason=reason))
        if not orgs and h.tag_ == "NNP" and ctx.ent_at[h.i] is None and _lemma(h) not in PERP_NOUNS:
            # an unnamed-by-NER proper-noun organisation: "The United States Africa Command"
            start = first
            while start.i < h.i and start.lower_ in DROP_LEADING_WORDS:
                start = ctx.doc[start.i + 1]
            out.append(Role("org", start.idx, h.idx + len(h.text), ctx.text(start, h), name=clean_name(ctx.text(start, h)),
                            uncertain=unc, reason=reason))
            continue
        persons = [e for e in ents.values() if e.label_ == "PERSON"]
        if persons and not orgs:
            for e in persons:
                out.append(Role("individual", e.start_char, e.end_char, ctx.article.text[e.start_char:e.end_char],
                                name=clean_name(e.text), uncertain=unc, reason=reason))
        elif _lemma(h) in PERP_NOUNS or h.lower_ in PERP_NOUNS:
            if orgs and _lemma(h) in {"member", "group", "cell", "unit", "column"}:
                continue
            start = first
            while start.i < h.i and (ctx.ent_at[start.i] in orgs or start.dep_ in {"det", "nummod", "quantmod"}
                                     or start.like_num or start.is_punct):
                start = ctx.doc[start.i + 1]
            out.append(Role("individual", start.idx, h.idx + len(h.text), ctx.text(start, h),
                            uncertain=unc, reason=reason))
    return out


def _subtree_without_clauses(h: Token) -> list[Token]:
    """``h``'s subtree minus relative clauses (which describe other events) and appositions."""
    out = []
    stack = [h]
    while stack:
        t = stack.pop()
        out.append(t)
        banned = {"relcl", "appos", "conj", "cc"} if t.i == h.i else {"relcl"}
        stack.extend(c for c in t.children if c.dep_ not in banned)
    return out


def _speaker(pron: Token) -> Token | None:
    """For "X said it carried out ...": the organisation X that "it" stands for."""
    node = pron.head
    for _ in range(4):
        if node.lemma_.lower() in {"say", "claim", "announce", "state", "confirm", "add"}:
            subj = [c for c in node.children if c.dep_ == "nsubj"]
            if subj and subj[0].lower_ not in PERSON_PRONOUNS:
                return subj[0]
            return None
        if node.head is node:
            return None
        node = node.head
    return None


def latest_group(ctx: Context, before: Token):
    """The last organisation named before ``before`` (for "the group", "it")."""
    best = None
    for ent in ctx.doc.ents:
        if ent.start >= before.i:
            break
        if ent.label_ == "ORG" and (ent.ent_id_ or ctx.sent_of[ent.start] >= 0):
            if ent.ent_id_ or best is None or not best.ent_id_:
                best = ent
    return best


def without_prefixes(ent: Span) -> Span:
    """A person entity without the titles and nationality words the tagger took in ("Spaniard Francisco
    Puja" -> "Francisco Puja", "Father Ellacuria" -> "Ellacuria"); the entity itself if nothing is left."""
    first = ent.start
    while first < ent.end - 1 and ent.doc[first].lower_.rstrip(".") in NAME_PREFIXES:
        first += 1
    return ent.doc[first:ent.end] if first > ent.start else ent


def clean_name(text: str) -> str:
    text = re.sub(r"^(?:the|a)\s+", "", text.strip(), flags=re.I)
    return re.sub(r"(?:'s|\u2019s|')$", "", text).strip()


def perpetrator_heads(trig: Trigger) -> list[tuple[Token, str]]:
    """Noun phrases (heads) that name who carried out the incident of ``trig``."""
    tok = trig.token
    out: list[tuple[Token, str]] = []
    if trig.is_noun:
        if _lemma(tok) in PERP_NOUNS or tok.lower_ in PERP_NOUNS:
            out.append((tok, "rule:perp:trigger noun"))  # "a suicide bomber"
        for c in tok.children:
            if c.dep_ in {"poss", "compound", "amod", "nmod"} and (c.ent_type_ in {"ORG", "NORP", "PERSON", "GPE"}
                                                                   or _lemma(c) in PERP_NOUNS):
                out.append((c, f"rule:perp:{c.dep_}"))
            if c.dep_ == "prep" and c.lower_ == "by":
                out += [(p, "rule:perp:by") for p in c.children if p.dep_ == "pobj"]
            if c.dep_ == "acl":  # "an attack carried out by X"
                for a in c.children:
                    if a.dep_ == "agent":
                        out += [(p, "rule:perp:agent") for p in a.children if p.dep_ == "pobj"]
        gov = tok.head
        if tok.dep_ == "dobj" and gov.pos_ == "VERB" and gov.lemma_.lower() in LAUNCH_VERBS:  # "launched an attack"
            out += [(c, "rule:perp:subject of launch") for c in gov.children if c.dep_ == "nsubj"]
        if tok.dep_ == "pobj" and gov.lower_ == "behind" and gov.head.lemma_ == "be":  # "X was behind the bombing"
            out += [(c, "rule:perp:behind") for c in gov.head.children if c.dep_ == "nsubj"]
        if tok.dep_ == "pobj" and gov.lower_ == "for" and gov.head.lemma_.lower() == "blame":
            out += [(c, "rule:perp:blamed") for c in gov.head.children if c.dep_ == "dobj"]
        out += _accused(tok)
        return out
    node = tok
    for _ in range(3):
        deps = {c.dep_: c for c in node.children}
        if "nsubj" in deps:
            subj = deps["nsubj"]
            if subj.lower_ in {"who", "that", "which"} and node.dep_ == "relcl":
                subj = node.head
            out.append((subj, "rule:perp:subject"))
            break
        if "agent" in deps:
            out += [(p, "rule:perp:agent") for p in deps["agent"].children if p.dep_ == "pobj"]
            break
        if node.head.pos_ in {"VERB", "AUX"} and (node.dep_ in {"conj", "xcomp", "advcl"} or (
                node.dep_ == "ccomp" and node.head.lemma_.lower() in {"believe", "suspect", "think"})):
            node = node.head
            if node.lemma_.lower() in {"believe", "suspect", "think"}:  # "men believed to belong to X abducted"
                inside = {t.i for t in tok.subtree}
                for t in node.subtree:
                    if t.i not in inside and t.ent_type_ == "ORG" and t.ent_iob_ == "B":
                        out.append((t, "rule:perp:believed"))
            continue
        if node.dep_ == "relcl" and "nsubjpass" not in deps:
            out.append((node.head, "rule:perp:relative"))
        break
    if trig.kind == "clash":  # "an army patrol clashed with NPA rebels": both sides
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in {"with", "against", "between"}:
                out += [(p, "rule:perp:other side") for p in c.children if p.dep_ == "pobj"]
    return out


def _accused(tok: Token) -> list[tuple[Token, str]]:
    """Who a sentence says did the incident named by the noun ``tok``, when it says so as an accusation:
    "X are responsible for the murder", "the officers involved in the murder", "X were accused of the
    killing", "the attack was attributed to X". Reports of incidents weeks old mostly name perpetrators so."""
    gov = tok.head
    out: list[tuple[Token, str]] = []
    if tok.dep_ == "pobj" and gov.lower_ in {"for", "in", "of"}:
        word = gov.head
        lemma = _lemma(word)
        if gov.lower_ == "for" and lemma in ACCUSED_ADJ and word.dep_ == "acomp":
            out += [(c, "rule:perp:responsible") for c in word.head.children if c.dep_ == "nsubj"]
        elif lemma in ACCUSED_VERBS and word.pos_ == "VERB":
            if word.dep_ in {"acl", "amod"} and word.head.pos_ in {"NOUN", "PROPN"}:  # "officers involved in"
                out.append((word.head, "rule:perp:accused"))
            else:
                out += [(c, "rule:perp:accused") for c in word.children if c.dep_ in {"nsubjpass", "dobj"}]
    if tok.dep_ == "nsubjpass" and _lemma(gov) in ATTRIBUTE_VERBS:
        for c in gov.children:
            if c.dep_ == "prep" and c.lower_ in {"to", "on"}:
                out += [(p, "rule:perp:attributed") for p in c.children if p.dep_ == "pobj"]
    return out


def object_heads(trig: Trigger) -> list[tuple[Token, str]]:
    """Noun phrases that name what or whom the incident hit (targets and victims)."""
    tok = trig.token
    out: list[tuple[Token, str]] = []
    for c in tok.children:
        if not trig.is_noun and c.dep_ in {"dobj", "nsubjpass"}:
            out.append((c, f"rule:target:{c.dep_}"))
        elif c.dep_ == "prep" and c.lower_ in {"on", "against", "at", "of", "near", "inside", "outside", "in"}:
            if c.lower_ == "of" and not trig.is_noun:
                continue
            out += [(p, f"rule:target:{c.lower_}") for p in c.children if p.dep_ == "pobj"]
        elif trig.is_noun and c.dep_ in {"compound", "nmod"} and not (trig.start <= c.idx < trig.end) and (
                _lemma(c) in TARGET_NOUNS or _lemma(c) in VICTIM_NOUNS):
            out.append((c, "rule:target:compound"))
    if trig.is_noun and tok.dep_ == "nsubj" and tok.head.pos_ == "VERB":  # "a roadside bomb hit a convoy"
        for c in tok.head.children:
            if c.dep_ == "dobj":
                out.append((c, "rule:target:object of trigger's verb"))
            elif c.dep_ == "prep" and c.lower_ in {"at", "on", "near", "inside", "outside", "in"}:
                out += [(p, f"rule:target:{c.lower_}") for p in c.children if p.dep_ == "pobj"]
    if not trig.is_noun and tok.dep_ == "amod" and tok.head.pos_ == "NOUN":  # "the bombed hotel"
        out.append((tok.head, "rule:target:modified"))
    if not trig.is_noun:
        for c in tok.conjuncts:
            if c.i > tok.i and not any(d.dep_ in {"dobj", "nsubjpass"} for d in c.children):
                continue
    return out


def classify_object(ctx: Context, head: Token, reason: str) -> list[Role]:
    """Turn an object noun phrase into target and/or victim roles (or nothing, e.g. a place name)."""
    out: list[Role] = []
    for h in [head] + [c for c in head.conjuncts if c.i > head.i]:
        lemma = _lemma(h)
        ent = ctx.ent_at[h.i]
        first, last = np_edges(h)
        while first.i < h.i and (first.like_num or first.dep_ in {"nummod", "quantmod"} or first.lower_ in
                                 {"at", "least", "more", "than", "over", "nearly", "about", "some", "up", "to"}):
            first = ctx.doc[first.i + 1]
        label = getattr(ent, "label_", "")
        if label == "PERSON":
            name = without_prefixes(ent)
            start, end = name.start_char, name.end_char  # the text as written, not as truecased
            out.append(Role("victim", start, end, ctx.article.text[start:end], name=clean_name(name.text),
                            type="Private Citizens & Property", reason=reason))
        elif lemma in VICTIM_NOUNS or h.lower_ in VICTIM_NOUNS:
            persons = [e for i in range(first.i, last.i + 1) if (e := ctx.ent_at[i]) is not None
                       and e.label_ == "PERSON"]
            for c in h.children:  # "the journalist Ahmed Khan", "a teacher, Sara Ali,"
                if c.dep_ == "appos" and ctx.ent_at[c.i] is not None and ctx.ent_at[c.i].label_ == "PERSON":
                    persons.append(ctx.ent_at[c.i])
                    last = max(last, ctx.doc[ctx.ent_at[c.i].end - 1], key=lambda t: t.i)
            name = clean_name(persons[0].text) if persons else None
            out.append(Role("victim", first.idx, last.idx + len(last.text), ctx.text(first, last), name=name,
                            type=VICTIM_NOUNS.get(lemma, VICTIM_NOUNS.get(h.lower_)), reason=reason))
        elif lemma in TARGET_NOUNS or (label == "FAC"):
            ttype = TARGET_NOUNS.get(lemma, "Unknown")
            for c in h.children:
                if c.dep_ in {"compound", "amod", "nmod"} and _lemma(c) in TARGET_MODIFIERS:
                    ttype = TARGET_MODIFIERS[_lemma(c)]
                    break
            if label == "FAC" and lemma not in TARGET_NOUNS:
                continue
            out.append(Role("target", first.idx, last.idx + len(last.text), ctx.text(first, last), type=ttype,
                            reason=reason))
    return out


def weapons_in(ctx: Context, sent, kinds: set[str]) -> list[Role]:
    """Weapon words in sentence ``sent`` (one or two words), typed by the GTD weapon list."""
    out: list[Role] = []
    toks = list(sent)
    skip = -1
    for k, t in enumerate(toks):
        if k <= skip or t.pos_ not in {"NOUN", "PROPN", "ADJ", "NUM"}:
            continue
        found = None
        for n in (3, 2):
            if k + n <= len(toks):
                words = " ".join(_lemma(x) for x in toks[k:k + n])
                plain = " ".join(x.lower_ for x in toks[k:k + n])
                key = words if words in WEAPONS else plain if plain in WEAPONS else None
                if key:
                    found = (key, toks[k], toks[k + n - 1])
                    skip = k + n - 1
                    break
        if found is None:
            key = _lemma(t) if _lemma(t) in WEAPONS else t.lower_ if t.lower_ in WEAPONS else None
            if key is None or t.dep_ == "compound" and _lemma(t.head) in TARGET_NOUNS:
                continue
            need = WEAPON_NEEDS_KIND.get(key)
            if need is not None and not (need & kinds):
                continue
            found = (key, t, t)
        key, first, last = found
        while first.i > sent.start and ctx.doc[first.i - 1].dep_ == "compound" and ctx.doc[first.i - 1].head.i >= first.i:
            first = ctx.doc[first.i - 1]
        out.append(Role("weapon", first.idx, last.idx + len(last.text), ctx.text(first, last), type=WEAPONS[key],
                        reason=f"rule:weapon:{key}", instrument=_instrument(last)))
    return out


def _instrument(t: Token) -> bool:
    """Whether the weapon word ``t`` is what a verb was done with: "attacked the embassy with rockets",
    "fired on the bus with machineguns" (the object of "with" attached to a verb)."""
    return t.dep_ == "pobj" and t.head.lower_ == "with" and t.head.head.pos_ == "VERB"
