"""Aliases learned from the text, merged within and across articles.

Reports define names as they go: "Tehrik-i-Taliban Pakistan (TTP)", "the Pakistani Taliban, or
Tehrik-i-Taliban Pakistan", "a group known as Jamaat-ul-Ahrar". ``learn_aliases`` finds such definitions;
``AliasRegistry`` merges them onto KB actors (or onto new actors with a stable slug id) and remembers the
evidence. What the text teaches only adds: a name the KB gives another actor is bound for that article only
and recorded as a conflict, and a name from the user's file is never taken away from the user's actor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from ..model import Actor, Span
from .actor_data import ActorEntry, alias_key
from .actor_text import (
    fallback_backward, fallback_forward, find_names, is_caseless, name_ending_at, name_starting_at, text_of,
)
from .actors import ActorContext, ActorKB, ResolvedActor

_PAREN = re.compile(r"\(\s*([^()\n]{1,80}?)\s*\)")
_ACRONYM = re.compile(r"[A-Z0-9][A-Za-z0-9&.\-/']{0,14}")
_KNOWN_AS = re.compile(
    r",?\s*(?:\(\s*)?(?:(?:also|better|popularly|locally|widely|commonly|formerly|previously|now)\s+)?"
    r"(?:known\s+as|called|dubbed|referred\s+to\s+as|a\.?k\.?a\.?|which\s+calls\s+itself|that\s+calls\s+itself|"
    r"who\s+call\s+themselves|or\s+simply)\s+", re.IGNORECASE)
_OR = re.compile(r",\s+or\s+", re.IGNORECASE)


class LearnedAlias(NamedTuple):
    """One definition found in a text: the fuller name, the other name, and where it was said."""

    long_name: str
    short_name: str
    span: Span


def schwartz_hearst(short: str, window: str) -> str | None:
    """The shortest end of ``window`` whose letters spell ``short`` (Schwartz & Hearst 2003), or None."""
    s_i, l_i = len(short) - 1, len(window) - 1
    while s_i >= 0:
        c = short[s_i].lower()
        if not c.isalnum():
            s_i -= 1
            continue
        while l_i >= 0 and (window[l_i].lower() != c or (s_i == 0 and l_i > 0 and window[l_i - 1].isalnum())):
            l_i -= 1
        if l_i < 0:
            return None
        l_i -= 1
        s_i -= 1
    start = max(window.rfind(" ", 0, l_i + 1), window.rfind("(", 0, l_i + 1)) + 1
    long = window[start:].strip()
    return long if len(long.split()) >= 2 or len(long) > len(short) + 2 else None


def learn_aliases(doc_or_text: Any, *, kb: ActorKB | None = None, article_id: str = "") -> list[LearnedAlias]:
    """Name definitions in a text: "Long Name (LN)", "LN (Long Name)", "X, or Y", "X, known as Y",
    "X, also called Y", ... ``kb`` (the shipped one if None) helps find name boundaries."""
    text = text_of(doc_or_text)
    kb = kb or ActorKB.load()
    names = find_names(text, kb)
    caseless = is_caseless(text)
    out: list[LearnedAlias] = []

    def emit(a: tuple[int, int], b: tuple[int, int]) -> None:
        first, second = text[a[0]:a[1]].strip(), text[b[0]:b[1]].strip()
        if not first or not second or alias_key(first) == alias_key(second):
            return
        long, short = (first, second) if len(first) >= len(second) else (second, first)
        start, end = min(a[0], b[0]), max(a[1], b[1])
        end = end + 1 if text[end:end + 1] == ")" else end
        out.append(LearnedAlias(long, short, Span(article_id=article_id, start=start, end=end,
                                                  text=text[start:end])))

    for m in _PAREN.finditer(text):
        inner, inner_span = m.group(1), (m.start(1), m.end(1))
        before = text[:m.start()].rstrip()
        looks_acronym = bool(_ACRONYM.fullmatch(inner)) and sum(c.isupper() for c in inner) >= 2
        if looks_acronym or (caseless and " " not in inner.strip()):
            clause = re.split(r"[,;:!?\"\u201c\u201d]|\.\s|\n\s*\n", before)[-1]
            window_words = clause.split()[-min(len(inner) + 5, 2 * len(inner)):]
            window = " ".join(window_words)
            long = schwartz_hearst(inner, window)
            if long:
                long = re.sub(r"^(?:the|a|an)\s+", "", long, flags=re.IGNORECASE)
                emit((len(before) - len(long), len(before)), inner_span)
                continue
            if not looks_acronym and not caseless:
                continue
            name = name_ending_at(names, len(before), text)
            if name and (not caseless or name.known):
                emit((name.start, name.end), inner_span)
        elif len(inner.split()) >= 2 and not re.search(r"\d", inner):
            prev = re.search(r"([A-Z][A-Za-z0-9&\-]{1,14})\s*$", before)
            if prev and sum(c.isupper() for c in prev.group(1)) >= 2 and schwartz_hearst(prev.group(1), inner):
                emit((prev.start(1), prev.end(1)), inner_span)

    for cue_re in (_KNOWN_AS, _OR):
        for m in cue_re.finditer(text):
            left = name_ending_at(names, m.start(), text)
            left_span = (left.start, left.end) if left else (
                fallback_backward(text, m.start(), max(0, m.start() - 80)) if caseless else None)
            right = name_starting_at(names, m.end(), text)
            right_span = (right.start, right.end) if right else _quoted(text, m.end())
            if right_span is None and caseless:
                right_span = fallback_forward(text, m.end(), min(len(text), m.end() + 80))
            if not left_span or not right_span:
                continue
            if cue_re is _OR and not ((left and left.known) or (right and right.known)):
                continue  # "X, or Y" is only a definition when one side is a known actor name
            emit(left_span, right_span)
    return out


def _quoted(text: str, pos: int) -> tuple[int, int] | None:
    m = re.match(r"\s*[\"\u201c']([^\"\u201d'\n]{2,60})[\"\u201d']", text[pos:])
    return (pos + m.start(1), pos + m.end(1)) if m else None


@dataclass
class AliasConflict:
    """A definition the registry did not apply, and why (the text disagreed with the KB or the user)."""

    name: str
    actor_id: str | None
    existing_id: str | None
    reason: str
    span: Span


@dataclass
class AliasRegistry:
    """Aliases learned from articles, on top of a KB. Plain object: make one per ingest run."""

    kb: ActorKB
    learned: dict[str, dict[str, list[Span]]] = field(default_factory=dict)  # actor id -> alias -> spans
    new_actors: dict[str, ActorEntry] = field(default_factory=dict)
    conflicts: list[AliasConflict] = field(default_factory=list)
    _global: dict[str, str] = field(default_factory=dict)  # alias key -> actor id, for names the KB lacks
    _local: dict[str, dict[str, str]] = field(default_factory=dict)  # article id -> alias key -> actor id

    def learn(self, doc_or_text: Any, *, article_id: str) -> list[tuple[LearnedAlias, str | None]]:
        """Learn every definition in one article; returns each with the actor id it was merged onto."""
        found = learn_aliases(doc_or_text, kb=self.kb, article_id=article_id)
        return [(item, self.add(item, article_id=article_id)) for item in found]

    def add(self, item: LearnedAlias, *, article_id: str) -> str | None:
        """Merge one definition; returns the actor id both names now resolve to (None on a conflict)."""
        long_r = self.resolve(item.long_name, article_id=article_id)
        short_r = self.resolve(item.short_name, article_id=article_id)
        if long_r and short_r and long_r.actor_id == short_r.actor_id:
            self._remember(long_r.actor_id, item)
            return long_r.actor_id
        sure = [r for r in (long_r, short_r) if r and not r.uncertain]
        if len(sure) == 2:
            self.conflicts.append(AliasConflict(item.short_name, long_r.actor_id, short_r.actor_id,
                                                "the text equates two different known actors", item.span))
            return None
        if sure:
            target = sure[0]
            known_name = item.long_name if target is long_r else item.short_name
            other_name = item.short_name if target is long_r else item.long_name
            other_r = short_r if target is long_r else long_r
            if self._user_owned(known_name, (target.actor_id,)):
                self.conflicts.append(AliasConflict(other_name, None, target.actor_id, "the text gives another "
                                                    "name for a name in the user's file; not applied", item.span))
                return None
            self._bind(other_name, target.actor_id, other_r, item, article_id)
            return target.actor_id
        actor_id = "learned-" + re.sub(r"[^a-z0-9]+", "-", alias_key(item.long_name)).strip("-")
        if actor_id not in self.new_actors and self.kb.get(actor_id) is None:
            self.new_actors[actor_id] = ActorEntry(actor_id=actor_id, name=item.long_name, source="learned")
        for name, res in ((item.long_name, long_r), (item.short_name, short_r)):
            self._bind(name, actor_id, res, item, article_id)
        return actor_id

    def _bind(self, name: str, actor_id: str, existing: ResolvedActor | None, item: LearnedAlias,
              article_id: str) -> None:
        key = alias_key(name)
        local = self._local.setdefault(article_id, {})
        if existing is None:  # a name nobody has: it now means this actor everywhere
            self._global.setdefault(key, actor_id)
            local[key] = actor_id
            self._remember(actor_id, item, name)
            return
        if existing.actor_id == actor_id:
            self._remember(actor_id, item, name)
            return
        if self._user_owned(name, existing.candidates):
            self.conflicts.append(AliasConflict(name, actor_id, existing.actor_id,
                                                "name belongs to an actor in the user's file", item.span))
            return
        local[key] = actor_id  # a shared or contested name: this article's definition holds in this article
        self._remember(actor_id, item, name)
        if not existing.uncertain:
            self.conflicts.append(AliasConflict(name, actor_id, existing.actor_id,
                                                "known name used for another actor in this article", item.span))

    def _user_owned(self, name: str, actor_ids: tuple[str, ...]) -> bool:
        key = alias_key(name)
        for actor_id in actor_ids:
            entry = self.kb.get(actor_id)
            if entry is not None and key in {alias_key(a) for a in entry.user_aliases}:
                return True
        return False

    def _remember(self, actor_id: str, item: LearnedAlias, name: str | None = None) -> None:
        spans = self.learned.setdefault(actor_id, {})
        for alias in ([name] if name else [item.long_name, item.short_name]):
            entry = self.kb.get(actor_id) or self.new_actors.get(actor_id)
            if entry and alias_key(alias) in {alias_key(n) for n in entry.names()}:
                continue
            bucket = spans.setdefault(alias, [])
            if all((s.article_id, s.start) != (item.span.article_id, item.span.start) for s in bucket):
                bucket.append(item.span)

    def resolve(self, mention: str, *, article_id: str | None = None,
                context: ActorContext | None = None) -> ResolvedActor | None:
        """Like ``ActorKB.resolve``, but this article's definitions first, then names learned anywhere."""
        key = alias_key(mention)
        for table, why in ((self._local.get(article_id or "", {}), "defined in this article"),
                           (self._global, "learned from an earlier article")):
            actor_id = table.get(key)
            if actor_id:
                return self._result(actor_id, mention, why)
        return self.kb.resolve(mention, context=context)

    def _result(self, actor_id: str, mention: str, reason: str) -> ResolvedActor:
        entry = self.kb.get(actor_id) or self.new_actors[actor_id]
        return ResolvedActor(actor_id=actor_id, name=entry.name, mention=mention, type=entry.type,
                             country=entry.country, reason=reason, candidates=(actor_id,))

    def aliases(self, actor_id: str) -> list[str]:
        """The names learned for ``actor_id`` (not those the KB already had)."""
        return list(self.learned.get(actor_id, {}))

    def actors(self) -> list[Actor]:
        """Export records for every actor that learned a name: KB names plus learned ones, with evidence."""
        out = []
        for actor_id, aliases in self.learned.items():
            base = self.kb.actor(actor_id)
            if base is None:
                entry = self.new_actors[actor_id]
                base = Actor(actor_id=actor_id, name=entry.name, type=entry.type, country=entry.country)
            base.aliases += [a for a in aliases if a not in base.aliases and a != base.name]
            base.evidence = [s for spans in aliases.values() for s in spans]
            out.append(base)
        return out

    def entries(self) -> list[ActorEntry]:
        """KB entries extended by the learned names (and the new actors), e.g. for ``ActorKB.with_entries``."""
        out = []
        for actor_id, aliases in self.learned.items():
            entry = self.kb.get(actor_id) or self.new_actors[actor_id]
            global_names = tuple(a for a in aliases if self._global.get(alias_key(a)) == actor_id)
            out.append(replace(entry, aliases=entry.aliases + tuple(
                a for a in global_names if a not in entry.aliases)))
        return out
