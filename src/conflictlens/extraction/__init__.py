"""Incident extraction: an annotated article in, one EventMention per real-world incident it reports out.

Stages (each in its own module): ``triggers`` finds incident words and their modality, ``incidents`` groups
them into incidents (within-article coreference), ``roles`` reads perpetrators, targets, victims, weapons,
dates and places from the parse, ``casualties`` reads the figures, ``claims`` the claims of responsibility.
Every filled field keeps the spans it came from (``evidence``) and the rule that filled it (``reasons``).
Dates and places are left as written; the resolve stage normalises and geocodes them.

    from conflictlens.nlp import load_nlp, annotate
    nlp = load_nlp()
    doc = next(annotate([article.text], nlp))
    mentions = extract_mentions(article, doc)
"""

from __future__ import annotations

from spacy.tokens import Doc

from ..errors import ConflictLensError
from ..model import (
    ActorRef, Article, Claim, DateRange, EventMention, Individual, Place, Target, Victim, Weapon, stable_id,
)
from ..taxonomy import KIND_RANK, classify
from .casualties import Statement, combine, find_statements
from .claims import ClaimFound, find_claims
from .incidents import Incident, group_triggers
from .learned import apply_role_model
from .lexicon import INTERVENTION, TRIGGER_WEAPONS, is_state_name
from .roles import Role, actor_roles, classify_object, object_heads, perpetrator_heads, weapons_in
from .spans import Context
from .triggers import Trigger, find_triggers

__all__ = ["extract_mentions"]

MOB_WORDS = frozenset({"rioters", "mob", "mobs", "protesters", "demonstrators", "crowd", "crowds", "rioter"})
# words that say firearms were used even when no gun is named
FIREARM_HINTS = frozenset({"gunmen", "gunman", "gunfire", "shot", "shooting", "shootings", "sniper", "snipers"})


def extract_mentions(article: Article, doc: Doc, *, learned: bool = True) -> list[EventMention]:
    """The EventMentions of ``article``; ``doc`` is ``annotate([article.text], nlp)``'s output for it.

    With ``learned`` (the default) the shipped role classifier fills or completes the role fields (see
    ``extraction.learned``); without it, the rules alone do.
    """
    try:
        ctx = Context(article, doc)
    except ValueError as exc:
        raise ConflictLensError("E402", str(exc)) from exc
    triggers, _rejected = find_triggers(ctx)
    incidents = group_triggers(ctx, triggers)
    if not incidents:
        return []
    statements = _assign_statements(ctx, incidents)
    claims = _assign_claims(ctx, incidents)
    pairs = []
    for k, inc in enumerate(incidents):
        m = _build(ctx, inc, statements.get(k, []), claims.get(k, []))
        if m is not None:
            pairs.append((inc, m))
    if learned:
        apply_role_model(ctx, pairs)
    return [m for _inc, m in pairs]


def _owner(ctx: Context, incidents: list[Incident], sent_k: int, char: int) -> int | None:
    """The incident a sentence's figures or claim belong to: the one with the nearest trigger in that
    sentence, else the one mentioned last before it (within three sentences), else the main incident."""
    here = [(abs(t.start - char), k) for k, inc in enumerate(incidents) for t in inc.triggers
            if ctx.sent_of[t.token.i] == sent_k]
    if here:
        return min(here)[1]
    before = [(max(s for s in inc.sents if s < sent_k), k) for k, inc in enumerate(incidents)
              if any(s < sent_k for s in inc.sents) and inc.family == "violent"]
    if before:
        last_sent, k = max(before)
        if sent_k - last_sent <= 3:
            return k
    violent = [k for k, inc in enumerate(incidents) if inc.family == "violent"]
    return violent[0] if violent else None


def _assign_statements(ctx: Context, incidents: list[Incident]) -> dict[int, list[Statement]]:
    out: dict[int, list[Statement]] = {}
    for k, sent in enumerate(ctx.sents):
        for st in find_statements([sent]):
            owner = _owner(ctx, incidents, k, st.start)
            if owner is not None and (incidents[owner].family == "violent" or k in incidents[owner].sents):
                out.setdefault(owner, []).append(st)
    return out


def _assign_claims(ctx: Context, incidents: list[Incident]) -> dict[int, list[ClaimFound]]:
    out: dict[int, list[ClaimFound]] = {}
    for claim in find_claims(ctx):
        owner = None
        sub = {t.i for t in claim.verb.subtree}
        for k, inc in enumerate(incidents):
            if any(t.token.i in sub for t in inc.triggers):
                owner = k
                break
        if owner is None:
            owner = _owner(ctx, incidents, claim.sent_index, claim.quote_start)
        if owner is not None:
            out.setdefault(owner, []).append(claim)
    return out


def _pick_kind(inc: Incident) -> Trigger:
    pool = [t for t in inc.triggers if t.status == inc.status] or inc.triggers
    specific = ([t for t in pool if t.specificity >= 2 and t.kind not in {"arrest", "arson"}]
                or [t for t in pool if t.specificity >= 1 and t.kind != "arson"] or pool)
    return max(specific, key=lambda t: (KIND_RANK.get(t.kind, 0), -t.start))


def _build(ctx: Context, inc: Incident, statements: list[Statement], claims: list[ClaimFound]) -> EventMention | None:
    art = ctx.article
    rep = _pick_kind(inc)
    first = min(inc.triggers, key=lambda t: t.start)
    roles_perp: list[Role] = []
    roles_obj: list[Role] = []
    strong = any(t.specificity > 0 for t in inc.triggers)
    for t in inc.triggers:
        if strong and t.specificity == 0:
            continue  # "attackers were killed by soldiers": the killers are not this incident's perpetrators
        if t.kind == "arrest" and rep.kind != "arrest":  # the people arrested for a plot are its suspects
            for c in t.token.children:
                if c.dep_ in {"dobj", "nsubjpass"}:
                    roles_perp += actor_roles(ctx, c, "rule:perp:arrested suspect", uncertain=True)
            continue
        if _by_state_subject(t) and inc.status == "foiled":
            continue
        for head, why in perpetrator_heads(t):
            roles_perp += actor_roles(ctx, head, why, uncertain=why.endswith("believed"))
        for head, why in object_heads(t):
            roles_obj += classify_object(ctx, head, why)
    for st_sent in sorted(inc.sents):
        for tok in ctx.sents[st_sent]:
            if tok.lemma_.lower() in {"kill", "wound", "injure", "kidnap", "abduct", "shoot", "assassinate", "murder"} \
                    and tok.pos_ == "VERB":
                for c in tok.children:
                    if c.dep_ in {"dobj", "nsubjpass"}:
                        roles_obj += [r for r in classify_object(ctx, c, "rule:victim:object") if r.kind == "victim"]
    kinds = {t.kind for t in inc.triggers}
    weapons: list[Role] = []
    for s in sorted(inc.sents):
        weapons += weapons_in(ctx, ctx.sents[s], kinds)
    if not any(w.type == "Firearms" for w in weapons):
        for s in sorted(inc.sents):
            gun = next((t for t in ctx.sents[s] if t.lower_ in FIREARM_HINTS), None)
            if gun is not None:
                weapons.append(Role("weapon", gun.idx, gun.idx + len(gun.text), ctx.text(gun), type="Firearms",
                                    reason=f"rule:weapon:implied by {gun.lower_}", implied=True))
                break
    if not weapons and rep.kind in TRIGGER_WEAPONS:
        weapons.append(Role("weapon", rep.start, rep.end, art.text[rep.start:rep.end], type=TRIGGER_WEAPONS[rep.kind],
                            reason="rule:weapon:implied by trigger", implied=True))
    killed, k_used = combine(statements, "killed")
    wounded, w_used = combine(statements, "wounded")
    perps_killed, p_used = combine(statements, "perpetrators_killed")
    # a weak-only incident ("... were killed") needs victims or figures to count as an incident
    if all(t.specificity == 0 for t in inc.triggers) and killed.is_empty() and not any(
            r.kind == "victim" for r in roles_obj):
        return None
    kind = rep.kind
    if kind in {"arson", "attack", "armed", "killing"} and any(
            r.kind == "individual" and r.mention.lower().split()[-1] in MOB_WORDS for r in roles_perp):
        kind = "riot"  # rioters or a mob setting fire and attacking: a violent demonstration
    target_types = {r.type for r in roles_obj if r.kind == "target" and r.type}
    target_types |= {r.type for r in roles_obj if r.kind == "victim" and r.type in {"Military", "Police"}}
    if any(r.kind == "victim" and r.type not in {"Military", "Police"} for r in roles_obj):
        target_types.add("Private Citizens & Property")
    intervention = rep.kind == "protest" and any(
        tok.lemma_.lower() in INTERVENTION for s in inc.sents for tok in ctx.sents[s])
    also = tuple(t.kind for t in sorted(inc.triggers, key=lambda t: t.start)
                 if t.specificity >= 2 and not (inc.status == "foiled" and _by_state_subject(t)))
    event_type, sub_type, attack_types = classify(kind, target_types=frozenset(target_types),
                                                  intervention=intervention, status=inc.status, also=also)
    if rep.kind in {"airstrike", "shelling"}:  # the fighters an air strike kills are its victims
        statements = [Statement("killed" if st.field == "perpetrators_killed" else st.field, st.best, st.low,
                                st.high, st.start, st.end, st.update) for st in statements]
        killed, k_used = combine(statements, "killed")
        perps_killed, p_used = combine(statements, "perpetrators_killed")
    if killed.is_empty() and wounded.best == 0 and wounded.high == 0:
        killed, k_used = wounded, [st for st in w_used if st.best == 0]  # "nobody was hurt"
    roles_obj += _identified_victims(ctx, roles_obj)
    m = EventMention(mention_id=stable_id(art.article_id, first.start, prefix="m-"), article_id=art.article_id,
                     event_type=event_type, sub_event_type=sub_type, attack_types=attack_types, status=rep.status)
    rspan = ctx.span(rep.start, rep.end)
    for t in sorted(inc.triggers, key=lambda t: t.start):
        m.add_evidence("trigger", ctx.span(t.start, t.end), reason=f"rule:trigger:{t.kind}")
    m.add_evidence("event_type", rspan, reason=f"rule:kind:{kind}")
    m.add_evidence("sub_event_type", rspan, reason=f"rule:kind:{rep.kind}")
    if attack_types:
        m.add_evidence("attack_types", rspan, reason=f"rule:kind:{rep.kind}")
    m.add_evidence("status", rspan, reason=rep.reason)
    _fill_date_place(ctx, inc, m)
    _fill_actors(ctx, m, roles_perp, claims)
    _fill_objects(ctx, m, roles_obj, weapons)
    for name, cas, used in (("killed", killed, k_used), ("wounded", wounded, w_used),
                            ("perpetrators_killed", perps_killed, p_used)):
        if not cas.is_empty():
            setattr(m, name, cas)
            for st in used:
                m.add_evidence(name, ctx.span(st.start, st.end),
                               reason="rule:casualties:latest update" if st.update else "rule:casualties:count")
    body = [t for t in sorted(inc.triggers, key=lambda t: t.start) if not t.headline] or [first]
    sent = body[0].token.sent
    stext = art.text[sent.start_char:sent.end_char].strip()
    if stext:
        s0 = sent.start_char + (len(art.text[sent.start_char:sent.end_char]) - len(
            art.text[sent.start_char:sent.end_char].lstrip()))
        m.summary = stext
        m.add_evidence("summary", ctx.span(s0, s0 + len(stext)), reason="rule:summary:trigger sentence")
    filled = sum(bool(x) for x in (m.perpetrators or m.perpetrator_individuals, m.date.text, m.location.name,
                                   not m.killed.is_empty() or not m.wounded.is_empty(), m.targets or m.victims))
    conf = 0.35 + 0.05 * min(3, len(inc.triggers) - 1) + 0.08 * filled
    conf += 0.1 if rep.specificity >= 2 else 0.0
    conf -= 0.1 if rep.status in {"threatened", "planned"} else 0.0
    m.confidence = round(max(0.05, min(0.95, conf)), 3)
    return m


def _by_state_subject(t: Trigger) -> bool:
    from .incidents import _by_state

    return _by_state(t) or t.token.lemma_.lower() == "defuse"


def _identified_victims(ctx: Context, roles: list[Role]) -> list[Role]:
    """"... identified the engineers as Andrés Felipe Rojas and Julián Ortiz": names for the victims."""
    heads = {r.mention.lower().split()[-1] for r in roles if r.kind == "victim" and r.mention}
    out: list[Role] = []
    if not heads:
        return out
    for tok in ctx.doc:
        if tok.lemma_.lower() not in {"identify", "name"} or tok.pos_ != "VERB":
            continue
        objs = [c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"}]
        if not objs or objs[0].lower_ not in heads and objs[0].lemma_.lower() not in {
                h.rstrip("s") for h in heads} | {"victim", "dead", "hostage"}:
            continue
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "as":
                for t in c.subtree:
                    e = ctx.ent_at[t.i]
                    if e is not None and e.label_ == "PERSON" and t.i == e.start:
                        out.append(Role("victim", e.start_char, e.end_char, ctx.article.text[e.start_char:e.end_char],
                                        name=e.text, type=None, reason="rule:victim:identified as"))
    return out


def _fill_date_place(ctx: Context, inc: Incident, m: EventMention) -> None:
    if inc.date is None:
        from .timeplace import date_roles_in

        body = [t for t in sorted(inc.triggers, key=lambda t: t.start) if not t.headline]
        if body:
            cands = [r for r in date_roles_in(ctx, body[0].token.sent)]
            from .incidents import is_background

            cands = [r for r in cands if not is_background(r.mention)]
            if cands:
                inc.date = cands[0]
    if inc.date is not None:
        m.date = DateRange(text=inc.date.mention)
        m.add_evidence("date", ctx.span(inc.date.start, inc.date.end), reason=inc.date.reason)
    place = inc.place
    if place is None:
        place = _sentence_place(ctx, inc)
    if place is None and ctx.dateline is not None and not inc.background:
        d = ctx.dateline
        place = Role("place", d.place_start, d.place_end, ctx.article.text[d.place_start:d.place_end],
                     reason="rule:place:dateline")
    if place is not None:
        m.location = Place(name=place.mention)
        m.add_evidence("location", ctx.span(place.start, place.end), reason=place.reason)


def _sentence_place(ctx: Context, inc: Incident) -> Role | None:
    from .roles import clean_name
    from .timeplace import country_names

    countries = country_names()
    fallback = None
    for s in sorted(inc.sents):
        for ent in ctx.sents[s].ents:
            if ent.label_ in {"GPE", "LOC"} and not ctx.in_dateline(ent[0]) and ent.root.dep_ in {"pobj"}:
                text = ctx.article.text[ent.start_char:ent.end_char]
                role = Role("place", ent.start_char, ent.end_char, text, reason="rule:place:same sentence")
                if clean_name(text).lower() not in countries:
                    return role
                fallback = fallback or role
    return fallback


def _fill_actors(ctx: Context, m: EventMention, roles: list[Role], claims: list[ClaimFound]) -> None:
    seen: set[str] = set()
    for r in roles:
        if r.kind == "org":
            if r.name in seen:
                continue
            seen.add(r.name or r.mention)
            m.perpetrators.append(ActorRef(name=r.name or r.mention, mention=r.mention, uncertain=r.uncertain))
            m.add_evidence("perpetrators", ctx.span(r.start, r.end), reason=r.reason)
    for c in claims:
        a = c.actor
        quote = ctx.article.text[c.quote_start:c.quote_end]
        m.claims.append(Claim(name=a.name or a.mention, mention=a.mention, quote=quote, denial=c.denial))
        if not (c.reason.startswith("rule:blame") or is_state_name(a.name or a.mention)):
            m.add_evidence("claims", ctx.span(c.quote_start, c.quote_end), reason=c.reason)
            m.add_evidence("claims", ctx.span(a.start, a.end), reason=c.reason)
        if c.reason.startswith("rule:blame") or is_state_name(a.name or a.mention):
            m.claims.pop()
            if c.reason.startswith("rule:blame") and (a.name or a.mention) not in seen and a.kind == "org":
                seen.add(a.name or a.mention)
                m.perpetrators.append(ActorRef(name=a.name or a.mention, mention=a.mention, uncertain=True))
                m.add_evidence("perpetrators", ctx.span(a.start, a.end), reason=c.reason)
            elif (a.name or a.mention) not in seen and a.kind == "org":
                seen.add(a.name or a.mention)
                m.perpetrators.append(ActorRef(name=a.name or a.mention, mention=a.mention))
                m.add_evidence("perpetrators", ctx.span(a.start, a.end), reason="rule:perp:announced by state")
            continue
        if not c.denial and a.kind == "org" and (a.name or a.mention) not in seen:
            seen.add(a.name or a.mention)
            m.perpetrators.append(ActorRef(name=a.name or a.mention, mention=a.mention))
            m.add_evidence("perpetrators", ctx.span(a.start, a.end), reason="rule:perp:claimed responsibility")
    ind_seen: set[tuple[int, int]] = set()
    for r in roles:
        if r.kind == "individual" and (r.start, r.end) not in ind_seen:
            if any(i.mention.lower() == r.mention.lower() for i in m.perpetrator_individuals):
                continue
            ind_seen.add((r.start, r.end))
            m.perpetrator_individuals.append(Individual(mention=r.mention, name=r.name))
            m.add_evidence("perpetrator_individuals", ctx.span(r.start, r.end), reason=r.reason)


def _fill_objects(ctx: Context, m: EventMention, roles: list[Role], weapons: list[Role]) -> None:
    seen: set[tuple[str, str]] = set()
    for r in roles:
        key = (r.kind, r.mention.lower())
        if key in seen:
            continue
        seen.add(key)
        if r.kind == "target":
            m.targets.append(Target(mention=r.mention, type=r.type))
            m.add_evidence("targets", ctx.span(r.start, r.end), reason=r.reason)
        elif r.kind == "victim":
            m.victims.append(Victim(mention=r.mention, name=r.name, type=r.type))
            m.add_evidence("victims", ctx.span(r.start, r.end), reason=r.reason)
    wseen: set[str] = set()
    for w in weapons:
        if w.mention.lower() in wseen:
            continue
        wseen.add(w.mention.lower())
        m.weapons.append(Weapon(mention=w.mention, type=w.type, implied=w.implied, instrument=w.instrument))
        m.add_evidence("weapons", ctx.span(w.start, w.end), reason=w.reason)
