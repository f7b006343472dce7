"""The actor stage of the pipeline: who did it, who was hit, who is tied to whom, and what they want.

After dates and places are resolved, ``resolve_article_actors`` learns the names an article defines
("Tehrik-i-Taliban Pakistan (TTP)") into an ``AliasRegistry``, then resolves every perpetrator, claimant and
target/victim that names an actor to a canonical actor (``ActorKB.resolve`` with the article's context:
its countries -- the incident's resolved place first --, date, places and unambiguous co-mentions). Each
decision is appended to ``mention.reasons`` ("rule:perp:subject; actor: 'TTP' -> Tehrik-i-Taliban Pakistan
(name in the knowledge base)"). It also returns what the store keeps about actors: the relations the article
states (with evidence spans), the sentences stating an actor's aims, and the actors it named with their
aliases (from the KB, the user's file, or learned from this article's text).
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..model import Actor, Article, EventMention, Span
from .actor_data import ActorEntry, alias_key
from .actors import ActorContext, ActorKB, ResolvedActor
from .aliases import AliasRegistry
from .relations import RelationMention, aim_sentences, extract_relations


@dataclass(frozen=True, kw_only=True)
class AimMention:
    """A sentence in which a report states what an actor seeks, aims at or fights for."""

    actor_id: str
    name: str
    span: Span


@dataclass(frozen=True, kw_only=True)
class ActorAlias:
    """One name of an actor and where it comes from: "kb", "user" (the user's file) or "text" (with the
    span of the article that defined it)."""

    alias: str
    source: str
    span: Span | None = None


@dataclass(kw_only=True)
class SeenActor:
    """An actor an article named: its record as the KB describes it (links as relations, no evidence),
    the KB entry's source ("kb", "generated", "user", "learned") and its names."""

    actor: Actor
    source: str
    aliases: list[ActorAlias] = field(default_factory=list)


@dataclass(kw_only=True)
class ActorFindings:
    """What the actor stage found in one article besides the resolved mentions."""

    relations: list[RelationMention] = field(default_factory=list)
    aims: list[AimMention] = field(default_factory=list)
    actors: list[SeenActor] = field(default_factory=list)


def load_kb(user_file: str | Path | None = None) -> ActorKB:
    """The actor KB: the shipped one, with ``user_file`` (default: ``CONFLICTLENS_ACTORS_FILE``) merged on
    top. Loaded once per process and file version (the file's modification time is part of the key)."""
    from .. import settings

    path = user_file if user_file is not None else settings.ACTORS_FILE.get()
    if not path:
        return ActorKB.load()
    p = Path(path).expanduser()
    stamp = p.stat().st_mtime_ns if p.exists() else None
    return _user_kb(str(p), stamp)


@functools.lru_cache(maxsize=4)
def _user_kb(path: str, stamp: int | None) -> ActorKB:
    return ActorKB.load(user_file=path)


def resolve_actors(mentions: list[EventMention], article: Article, doc: Any = None, *, kb: ActorKB,
                   registry: AliasRegistry | None = None) -> list[EventMention]:
    """Resolve the actors of ``mentions`` in place (see ``resolve_article_actors``); returns the same list."""
    resolve_article_actors(mentions, article, doc, kb=kb, registry=registry)
    return mentions


def resolve_article_actors(mentions: list[EventMention], article: Article, doc: Any = None, *, kb: ActorKB,
                           registry: AliasRegistry | None = None) -> ActorFindings:
    """Resolve perpetrators, claimants, targets and victims of ``mentions`` in place, and return the
    article's relations, aims sentences and named actors. ``registry`` carries names learned from earlier
    articles (one per ingest run); a fresh one is used when None. ``doc`` is a spaCy Doc of the text or None."""
    registry = registry if registry is not None else AliasRegistry(kb)
    source = doc if doc is not None else article.text
    article_id = article.article_id
    learned = registry.learn(source, article_id=article_id)
    base = _article_context(article, mentions, kb)
    used: dict[str, set[str]] = {}  # actor id -> names this article used for it

    def resolve(names: tuple[str | None, ...], context: ActorContext) -> ResolvedActor | None:
        for name in dict.fromkeys(n.strip() for n in names if n and n.strip()):
            found = registry.resolve(name, article_id=article_id, context=context)
            if found is not None:
                used.setdefault(found.actor_id, set()).add(name)
                return found
        return None

    for mention in mentions:
        context = _mention_context(base, mention)
        _resolve_perpetrators(mention, context, resolve)
        notes = []
        for claim in mention.claims:
            found = resolve((claim.mention, claim.name), context)
            if found is not None:
                claim.actor_id, claim.name = found.actor_id, found.name
                notes.append(_why(found))
        _append_reason(mention, "claims", notes)
        notes = []
        for target in mention.targets:
            found = resolve((target.mention, _owner(target.mention)), context)
            if found is not None:
                target.actor_id, target.name = found.actor_id, found.name
                notes.append(_why(found))
        _append_reason(mention, "targets", notes)
        notes = []
        for victim in mention.victims:
            found = resolve((victim.mention,), context)
            if found is not None:
                victim.actor_id = found.actor_id
                victim.name = victim.name or found.name
                notes.append(_why(found))
        _append_reason(mention, "victims", notes)

    relations = extract_relations(source, kb=kb, article_id=article_id, registry=registry, context=base)
    for rel in relations:
        for ref in (rel.subject, rel.object):
            if ref.actor_id:
                used.setdefault(ref.actor_id, set()).add(ref.mention)
    ids = list(used)
    for actor_id in base.actor_ids:  # unambiguous KB names elsewhere in the text: candidates for aims
        used.setdefault(actor_id, set())
    aims = _aims(source, article_id, used, kb, registry)
    for aim in aims:
        if aim.actor_id not in ids:
            ids.append(aim.actor_id)
    for _, actor_id in learned:
        if actor_id and actor_id not in ids:
            ids.append(actor_id)
    actors = [seen for seen in (_seen(i, article_id, kb, registry) for i in ids) if seen is not None]
    return ActorFindings(relations=relations, aims=aims, actors=actors)


def _article_context(article: Article, mentions: list[EventMention], kb: ActorKB) -> ActorContext:
    """The article's context: the countries of its incidents' places first, then those the text names."""
    countries = Counter(m.location.country.upper() for m in mentions if m.location and m.location.country)
    places = [p for m in mentions if m.location for p in (m.location.name, m.location.admin1) if p]
    published = article.published[:10] if article.published else None
    return ActorContext.from_text(article.text, kb, date=published,
                                  countries=[c for c, _ in countries.most_common()], places=places)


def _mention_context(base: ActorContext, mention: EventMention) -> ActorContext:
    """``base`` narrowed to one incident: its own country first, its own date when resolved."""
    country = (mention.location.country or "").upper() if mention.location else ""
    countries = (country, *[c for c in base.countries if c != country]) if country else base.countries
    date = mention.date.start if mention.date and mention.date.start else base.date
    return replace(base, countries=countries, date=date)


def _resolve_perpetrators(mention: EventMention, context: ActorContext, resolve: Any) -> None:
    """Canonical actors for the perpetrators; two mentions of one actor ("TTP", "the Pakistani Taliban")
    become one perpetrator (both evidence spans stay)."""
    notes: list[str] = []
    kept = []
    seen: set[str] = set()
    for ref in mention.perpetrators:
        found = resolve((ref.mention, ref.name), context)
        if found is None:
            notes.append(f"'{ref.mention}' is not in the knowledge base")
            kept.append(ref)
            continue
        if found.actor_id in seen:
            notes.append(f"'{ref.mention}' -> {found.name} again (merged)")
            continue
        seen.add(found.actor_id)
        ref.actor_id, ref.name = found.actor_id, found.name
        ref.uncertain = ref.uncertain or found.uncertain
        notes.append(_why(found))
        kept.append(ref)
    mention.perpetrators = kept
    _append_reason(mention, "perpetrators", notes)


def _owner(phrase: str) -> str | None:
    """The owner a target phrase names after its last "of" ("a convoy of Pakistan's army" -> "Pakistan's
    army"), or None: a target that belongs to an actor is that actor's target."""
    head, sep, tail = phrase.rpartition(" of ")
    return tail if sep and head.strip() and tail.strip() else None


def _why(found: ResolvedActor) -> str:
    doubt = "; uncertain" if found.uncertain else ""
    return f"'{found.mention}' -> {found.name} ({found.reason}{doubt})"


def _append_reason(mention: EventMention, field_name: str, notes: list[str]) -> None:
    """Add the actor decisions to the extractor's reason for ``field_name`` (never replacing it)."""
    if not notes:
        return
    added = "; ".join(f"actor: {n}" for n in notes)
    old = mention.reasons.get(field_name)
    mention.reasons[field_name] = f"{old}; {added}" if old else added


def _entry(actor_id: str, kb: ActorKB, registry: AliasRegistry) -> ActorEntry | None:
    return kb.get(actor_id) or registry.new_actors.get(actor_id)


def _aims(source: Any, article_id: str, used: dict[str, set[str]], kb: ActorKB,
          registry: AliasRegistry) -> list[AimMention]:
    """Aims sentences for every non-state actor the article names (its own names, not shared ones)."""
    names: dict[str, tuple[ActorEntry, list[str]]] = {}
    for actor_id, mentioned in used.items():
        entry = _entry(actor_id, kb, registry)
        if entry is not None and not entry.is_state:
            own = {entry.name, *entry.aliases, *entry.case_sensitive_aliases, *registry.aliases(actor_id), *mentioned}
            names[actor_id] = (entry, sorted(own))
    if not names or not aim_sentences(source, [n for _, own in names.values() for n in own], article_id=article_id):
        return []  # one pass over the text for all actors; most reports state no aims at all
    return [AimMention(actor_id=actor_id, name=entry.name, span=span)
            for actor_id, (entry, own) in names.items()
            for span in aim_sentences(source, own, article_id=article_id)]


def _seen(actor_id: str, article_id: str, kb: ActorKB, registry: AliasRegistry) -> SeenActor | None:
    entry = _entry(actor_id, kb, registry)
    if entry is None:
        return None
    record = kb.actor(actor_id) or Actor(actor_id=actor_id, name=entry.name, type=entry.type,
                                         country=entry.country)
    user = {alias_key(a) for a in entry.user_aliases}
    own = "text" if entry.source == "learned" else "kb"  # a learned actor's name came from a text too
    aliases = [ActorAlias(alias=a, source="user" if alias_key(a) in user else own) for a in entry.names()]
    for alias, spans in registry.learned.get(actor_id, {}).items():
        for span in spans:
            if span.article_id == article_id:
                aliases.append(ActorAlias(alias=alias, source="text", span=span))
    return SeenActor(actor=record, source=entry.source, aliases=aliases)
