"""Relations between actors, and sentences stating an actor's aims, read from report prose.

Reports say who is tied to whom: "Jamaat-ul-Ahrar, a breakaway faction of the TTP", "ISWAP pledged
allegiance to the Islamic State", "TTP chief Hakimullah Mehsud". ``extract_relations`` finds two names in one
sentence with a cue between them (a parenthetical clause between them is skipped: "X, which operates in
Borno, pledged allegiance to Y") and returns each relation with the sentence part that states it.
``aim_sentences`` returns the sentences in which a report states what an actor wants.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, NamedTuple

from ..model import ActorRef, ActorRelation, Span
from .actor_data import alias_key, scan_keys
from .actor_text import Name, find_names, sentences, text_of
from .actors import ActorContext, ActorKB

_ART = r"(?:(?:a|an|the|its|their|one\s+of\s+the|one\s+of\s+its|now\s+a|also\s+a)\s+)?"
_ADJ = r"(?:[\w-]+\s+){0,2}"
_LEAD = r",?\s*(?:(?:which|who|that)\s+)?(?:(?:is|was|are|were|has\s+been|had\s+been|became)\s+)?"
_AUX = r"\s*(?:,\s*(?:which|who|that)\s+)?(?:(?:has|had|have|later|then|also|reportedly|publicly|formally|" \
       r"officially|itself|in\s+\w+\s+\d{4}|in\s+\d{4})\s+)*"
_LEADER = r"(?:leader|chief|head|commander|emir|amir|supreme\s+leader|top\s+commander|chief\s+commander)"
# (relation type, regex over the text between the two names, True when the second name is the subject)
_RULES: list[tuple[str, re.Pattern[str], bool]] = [
    ("splinter_of", re.compile(_LEAD + _ART + _ADJ + r"(?:splinter|breakaway|break-away)\s+"
                               r"(?:group|faction|wing|organi[sz]ation|movement|outfit|cell)?\s*(?:of|from)\s+(?:the\s+)?"), False),
    ("splinter_of", re.compile(_AUX + r"(?:split|broke|splintered|broken|breaking|splitting|defected)\s+"
                               r"(?:away\s+|off\s+)?from\s+(?:the\s+)?"), False),
    ("offshoot_of", re.compile(_LEAD + _ART + _ADJ + r"(?:offshoot|outgrowth|spin-?off|successor)s?\s+(?:of|from|to)\s+(?:the\s+)?"), False),
    ("faction_of", re.compile(_LEAD + _ART + _ADJ + r"(?:faction|wing|branch|affiliate|franchise|arm|unit|"
                              r"component|member\s+group|subgroup|province)s?\s+(?:of|within)\s+(?:the\s+)?"), False),
    ("allied_with", re.compile(r",?" + _AUX + r"(?:(?:is|are|was|were)\s+)?(?:closely\s+)?(?:allied|aligned)\s+(?:itself\s+)?with\s+(?:the\s+)?"), False),
    ("allied_with", re.compile(_LEAD + r"(?:(?:fought|fights|fighting|operates|operating|operated|acts|acted|acting|is|are|was|were)\s+)?in\s+(?:an\s+)?alliance\s+with\s+(?:the\s+)?"), False),
    ("allied_with", re.compile(_LEAD + _ART + _ADJ + r"(?:ally|allies)\s+of\s+(?:the\s+)?"), False),
    ("allied_with", re.compile(_AUX + r"(?:formed|forged|entered|joined)\s+(?:an\s+)?(?:alliance|forces)\s+with\s+(?:the\s+)?"), False),
    ("rival_of", re.compile(_LEAD + _ART + _ADJ + r"(?:arch-?)?rivals?\s+(?:of|to)\s+(?:the\s+)?"), False),
    ("rival_of", re.compile(r"(?:'s|\u2019s)\s+(?:arch-?)?rivals?,?\s+(?:the\s+)?"), False),
    ("pledged_allegiance_to", re.compile(_AUX + r"(?:pledged|pledges|pledging|swore|swears|sworn|swearing|gave|declared|"
                                         r"renewed|announced)\s+(?:its\s+|their\s+|his\s+)?(?:allegiance|loyalty|"
                                         r"bay'?ah|bay\u2019ah|fealty)\s+to\s+(?:the\s+)?"), False),
    ("merged_into", re.compile(_AUX + r"(?:merged|merges|merging|amalgamated)\s+(?:with|into)\s+(?:the\s+)?"), False),
    ("leader_of", re.compile(r",\s*(?:the\s+|a\s+)?" + _ADJ + _LEADER + r"\s+of\s+(?:the\s+)?"), False),
    ("leader_of", re.compile(r",?\s*who\s+(?:now\s+|still\s+)?(?:leads|led|heads|headed|commands|commanded)\s+(?:the\s+)?"), False),
    ("leader_of", re.compile(r"\s+(?:became|becomes|was\s+named|was\s+appointed|was\s+elected|was\s+chosen\s+as|took\s+over\s+as|"
                             r"succeeded\s+\w+(?:\s+\w+)?\s+as)\s+(?:the\s+)?(?:new\s+)?" + _LEADER + r"\s+of\s+(?:the\s+)?"), False),
    ("leader_of", re.compile(r"(?:'s|\u2019s)\s+" + _ADJ + _LEADER + r",?\s+"), True),
    ("leader_of", re.compile(r"\s+(?:[\w-]+\s+)?" + _LEADER + r"\s+"), True),
    ("leader_of", re.compile(r",?\s*(?:which\s+is\s+|now\s+)?(?:led|headed|commanded)\s+by\s+"), True),
]
_MERGE_FORM = re.compile(r"\s+(?:merged|combined|joined)\s+(?:together\s+)?to\s+form\s+(?:the\s+)?", re.IGNORECASE)
_FORM_TAIL = re.compile(r"\s+to\s+form\s+(?:the\s+)?", re.IGNORECASE)
_RIVAL_PAIR = re.compile(r"\b(?:rival|rivals|warring|competing)\s+(?:\w+\s+)?(?:groups?|factions?|militias?|gangs?|"
                         r"cartels?|movements?)\s*,?\s*(?:the\s+)?$", re.IGNORECASE)
_ARE_RIVALS = re.compile(r"\s+(?:are|were|have\s+been|remain)\s+(?:bitter\s+|long-?standing\s+|arch-?)?rivals", re.IGNORECASE)
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DATE = re.compile(rf"\b(?:in|since|from|on|until)\s+(?:(\d{{1,2}})\s+)?(?:({_MONTH})\s+)?(?:(\d{{1,2}}),?\s+)?((?:19|20)\d{{2}})\b")
_AIM = re.compile(
    r"\b(?:seek(?:s|ing)?\s+(?:to|an?|the)\b|sought\s+to|aim(?:s|ed|ing)?\s+(?:to|at)\b|"
    r"(?:stated\s+|declared\s+|main\s+|ultimate\s+)?(?:aim|goal|objective|ambition)s?\s+(?:is|are|was|were|of)\b|"
    r"wants?\s+to\s+(?:establish|create|impose|overthrow|topple|replace|set\s+up|carve|install|enforce|bring|build|"
    r"restore|expel|drive|liberate|secede)|want(?:s|ed)\s+an?\s+(?:independent|separate|islamic)|"
    r"(?:is|are|was|were|has\s+been|have\s+been)\s+fighting\s+(?:to|for)\b|fight(?:s|ing)?\s+for\b|fought\s+(?:for|to)\b|"
    r"struggl(?:e|es|ed|ing)\s+(?:for|to)\b|campaign(?:s|ed|ing)?\s+for\b|call(?:s|ed)?\s+for\s+the\s+(?:establishment|"
    r"creation|imposition|overthrow)|espous(?:e|es|ed|ing)\b|ideology\b|vow(?:s|ed)?\s+to\s+(?:establish|impose|overthrow))",
    re.IGNORECASE)
_ANAPHOR = re.compile(r"^\W*(?:the\s+(?:group|movement|organi[sz]ation|militants|insurgents|rebels|guerrillas|"
                      r"militia|outfit|network|faction|front|army)|it|they|its\s+(?:leaders?|fighters|founders?))\b",
                      re.IGNORECASE)
_MONTHS = {m: i for i, m in enumerate(_MONTH[3:-1].split("|"), start=1)}


class RelationMention(NamedTuple):
    """subject --type--> object, the words that say so, and the date given with it (if any)."""

    subject: ActorRef
    type: str
    object: ActorRef
    span: Span
    date: str | None = None

    def to_relation(self) -> ActorRelation:
        """The relation as the subject's ``Actor.relations`` entry."""
        return ActorRelation(type=self.type, actor_id=self.object.actor_id, name=self.object.name,
                             evidence=[self.span])


def extract_relations(doc_or_text: Any, *, kb: ActorKB, article_id: str, registry: Any = None,
                      context: ActorContext | None = None) -> list[RelationMention]:
    """Relations stated in one article (offshoot_of, splinter_of, faction_of, allied_with, rival_of,
    pledged_allegiance_to, leader_of, merged_into). ``registry`` (an ``AliasRegistry``) resolves names the
    article defined; ``context`` decides shared names (read from the text when None)."""
    text = text_of(doc_or_text)
    names = find_names(text, kb)
    context = context or ActorContext.from_text(text, kb)

    def ref(name: Name) -> ActorRef:
        found = (registry.resolve(name.text, article_id=article_id, context=context) if registry is not None
                 else kb.resolve(name.text, context=context))
        if found is None:
            return ActorRef(name=name.text, mention=name.text)
        return found.to_ref()

    out: list[RelationMention] = []
    seen: set[tuple[int, int, str]] = set()
    for s_start, s_end in sentences(doc_or_text):
        inside = [n for n in names if n.start >= s_start and n.end <= s_end]
        date = _date(text[s_start:s_end])
        for j, obj in enumerate(inside):
            for subj in reversed(inside[:j]):
                between = text[subj.end:obj.start]
                found = _match(between)
                if found is None:
                    continue
                rel_type, reverse = found
                a, b = (obj, subj) if reverse else (subj, obj)
                if rel_type == "leader_of" and (ref(a).actor_id or not ref(b).actor_id):
                    continue  # a leader is a person (no actor id) leading a known or defined group
                targets = [b]
                if rel_type == "merged_into":
                    tail = _FORM_TAIL.match(text, obj.end)
                    formed = next((n for n in inside if tail and n.start >= tail.end() and n.start - tail.end() < 4), None)
                    if formed:
                        targets, rel_type = [formed], "merged_into"
                        out.append(_mention(ref(b), "merged_into", ref(formed), text, b, formed, article_id, date))
                for target in targets:
                    key = (a.start, target.start, rel_type)
                    if key not in seen:
                        seen.add(key)
                        out.append(_mention(ref(a), rel_type, ref(target), text, a, target, article_id, date))
                break
        out.extend(_pair_rules(text, inside, ref, article_id, date))
    return out


def _match(between: str) -> tuple[str, bool] | None:
    candidates = [between, re.sub(r"\s*\([^()]*\)", "", between)]
    reduced = re.sub(r",[^,]{1,120},", "", candidates[-1], count=1)
    if reduced != candidates[-1]:
        candidates.append(reduced)
    for candidate in candidates:
        for rel_type, rule, reverse in _RULES:
            if rule.fullmatch(candidate) or (candidate is not between and rule.fullmatch(" " + candidate.strip() + " ")):
                return rel_type, reverse
    return None


def _pair_rules(text: str, inside: list[Name], ref: Any, article_id: str, date: str | None) -> list[RelationMention]:
    """"X and Y merged to form Z", "rival groups X and Y", "X and Y are rivals"."""
    out = []
    for i in range(len(inside) - 1):
        x, y = inside[i], inside[i + 1]
        if not re.fullmatch(r"\s*,?\s*and\s+(?:the\s+)?", text[x.end:y.start], flags=re.IGNORECASE):
            continue
        formed = _MERGE_FORM.match(text, y.end)
        if formed:
            z = next((n for n in inside if n.start >= formed.end() and n.start - formed.end() < 4), None)
            if z:
                members, k = [x, y], i
                while k > 0 and re.fullmatch(r"\s*,\s*(?:the\s+)?", text[inside[k - 1].end:inside[k].start]):
                    k -= 1
                    members.insert(0, inside[k])
                out += [_mention(ref(m), "merged_into", ref(z), text, m, z, article_id, date) for m in members]
        if _RIVAL_PAIR.search(text[max(0, x.start - 60):x.start]) or _ARE_RIVALS.match(text, y.end):
            out.append(_mention(ref(x), "rival_of", ref(y), text, x, y, article_id, date))
    return out


def _mention(subject: ActorRef, rel_type: str, obj: ActorRef, text: str, a: Name, b: Name, article_id: str,
             date: str | None) -> RelationMention:
    start, end = min(a.start, b.start), max(a.end, b.end)
    return RelationMention(subject, rel_type, obj, Span(article_id=article_id, start=start, end=end,
                                                        text=text[start:end]), date)


def _date(sentence: str) -> str | None:
    m = _DATE.search(sentence)
    if not m:
        return None
    day = m.group(1) or m.group(3)
    year, month = m.group(4), _MONTHS.get(m.group(2) or "")
    if month and day:
        return f"{year}-{month:02d}-{int(day):02d}"
    return f"{year}-{month:02d}" if month else year


def aim_sentences(doc_or_text: Any, actor_names: Iterable[str], *, article_id: str = "") -> list[Span]:
    """Sentences that state what one of ``actor_names`` seeks, aims, wants or fights for: the sentence
    names the actor, or refers back to it ("The group seeks to ...") right after a sentence that does."""
    text = text_of(doc_or_text)
    keys = {alias_key(n) for n in actor_names if alias_key(n)}
    out: list[Span] = []
    previous_named = False
    for start, end in sentences(doc_or_text):
        sentence = text[start:end]
        named = any(True for _ in scan_keys(sentence, keys.__contains__))
        if _AIM.search(sentence) and (named or (previous_named and _ANAPHOR.search(sentence))):
            out.append(Span(article_id=article_id, start=start, end=end, text=sentence))
        previous_named = named or (previous_named and bool(_ANAPHOR.search(sentence)))
    return out
