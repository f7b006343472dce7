"""Role fillers from the learned noun-phrase classifier (``conflictlens.learn``), merged into the mentions.

The classifier reads the whole article and returns role fillers (MUC-4 roles: PerpInd, PerpOrg, Target,
Victim, Weapon) with a probability each. Each filler goes to the incident with the nearest trigger (one in
the same sentence first, else the nearest sentence), so an article that reports no incident gets nothing.
How a model filler combines with the rule fillers of the same field is decided per role by the model's
``combine`` setting, chosen by measuring on the MUC-4 dev split:

* ``model``: the model decides the field (the rule values are dropped);
* ``fallback``: the model's values when it has any for this mention, else the rules';
* ``union``: both;
* ``veto``: the model's values, plus the rule values the model gives at least ``veto`` probability for
  that role (one level for all roles, or one per role; a rule value the model has no candidate for is
  kept, except weapons).

The model is stacked: it sees which spans the rules filled and with which role (``rule=`` features), so it
learns where the rules are right. Some rule values stand whatever the model says: ``_protected`` lists them
and says why.

A PerpOrg filler that names no organisation (no entity, no capital after truecasing, no state-force word:
"armed gangs") is an individual perpetrator instead: "gunmen" alone names no organisation.

Every model value keeps its span and the reason ``model:role-np p=0.83``.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..eval.ceaf import normalise
from ..learn import FIELD_OF_ROLE
from ..model import ActorRef, EventMention, Individual, Target, Victim, Weapon
from .incidents import Incident
from .lexicon import GROUPS, TARGET_NOUNS, WEAPONS, is_state_name, is_state_target
from .spans import Context

DEFAULT_COMBINE = {role: "veto" for role in FIELD_OF_ROLE}
DEFAULT_VETO = 0.02
# a rule weapon the model has no candidate for (no noun phrase) is vetoed too, unless it is an implied type
UNSEEN_VETOED = frozenset({"Weapon"})
ORG_WORDS = frozenset({"army", "forces", "military", "government", "police", "squad", "squads", "guard", "front",
                       "movement", "cartel", "mafia", "mafias", "command", "battalion", "brigade", "navy"})
# reasons the rules give that the model must never override: a group's own claim names the perpetrator, and
# so does an accusation the report states ("X are responsible for the murder", "attributed to X"), which
# the model, reading one noun phrase at a time, rarely sees
KEEP_REASONS = ("rule:perp:claimed responsibility", "rule:perp:responsible", "rule:perp:accused",
                "rule:perp:attributed")
# an organisation's initials as written in cased text ("TTP", "LeN", "ISWAP"); uncased text has none
ACRONYM = re.compile(r"(?=\w*[A-Z]\w*[A-Z])[A-Za-z][A-Za-z-]{1,7}")


def apply_role_model(ctx: Context, pairs: list[tuple[Incident, EventMention]]) -> None:
    """Fill the mentions' role fields from the shipped role model (no-op when none is shipped)."""
    if not pairs:
        return
    from ..learn.roles import decode, load_role_model, rule_roles, score_candidates

    model = load_role_model()
    if model is None:
        return
    cands, probs = score_candidates(model, ctx.doc, text=ctx.article.text,
                                    rules=rule_roles(m for _inc, m in pairs))
    fills = decode(cands, probs, model.classes, model.meta.get("thresholds", {}), text=ctx.article.text)
    fills = [_org_or_individual(ctx, f) for f in fills]
    combine = {**DEFAULT_COMBINE, **model.meta.get("combine", {})}
    veto = veto_levels(model.meta.get("veto", DEFAULT_VETO))
    col = {c: k for k, c in enumerate(model.classes)}
    best_p: dict[tuple[str, str], float] = {}
    for c, row in zip(cands, probs):
        key = " ".join(c.text.split())
        for role in FIELD_OF_ROLE:
            best_p[(role, key)] = max(best_p.get((role, key), 0.0), float(row[col[role]]))
    by_mention: dict[int, list] = {}
    for f in fills:
        if ctx.dateline is not None and f.start < ctx.dateline.end:
            continue
        k = _nearest(ctx, pairs, f.start, f.sent)
        by_mention.setdefault(k, []).append(f)
    for k, (_inc, m) in enumerate(pairs):
        mine = by_mention.get(k, [])
        for role, field in FIELD_OF_ROLE.items():
            got = [f for f in mine if f.role == role]
            mode = combine.get(role, "fallback")
            if mode == "fallback" and not got:
                continue
            if mode in {"model", "fallback"}:
                _clear(m, field)
            elif mode == "veto":
                _veto(m, role, field, best_p, veto[role])
            for f in got:
                _add(ctx, m, role, field, f)
        for field in ("victims", "perpetrator_individuals"):
            _merge_names(ctx, m, field)
        for field in ("targets", "weapons", "perpetrator_individuals"):
            _merge_heads(m, field)


def _merge_names(ctx: Context, m: EventMention, field: str) -> None:
    """One person, one value: a named person whose name's words all occur in a fuller name of the same field
    ("Bernardo Jaramillo" and "Bernardo Jaramillo Ossa") is the same person, and the fuller name stays. A
    longer string whose extra words are not part of a name ("murdered diplomat Jorge Vargas") does not count
    as fuller. The evidence of both stays."""
    values = getattr(m, field)
    named = [v for v in values if v.name]
    if len(named) < 2:
        return
    words = {id(v): set(v.name.lower().split()) for v in named}
    capitalised = {id(v): _capitalised_words(ctx, m, field, v.mention) for v in named}
    gone = {id(a) for a in named for b in named
            if a is not b and words[id(a)] < words[id(b)] and (words[id(b)] - words[id(a)]) <= capitalised[id(b)]}
    if gone:
        setattr(m, field, [v for v in values if id(v) not in gone])


def _merge_heads(m: EventMention, field: str) -> None:
    """One thing, one value: a value that is the bare head or the first words of a fuller value of the same
    field ("bus" and "route 302 bus", "dynamite" and "dynamite charge", "members" and "members of the
    FMLN") names the same thing less precisely, so only the fuller one stays (measured on the MUC-4 dev
    split: the keys hold the fuller string as often as the bare one, and two values for one thing count as
    a false one). Their evidence stays."""
    values = getattr(m, field)
    if len(values) < 2:
        return
    keys = [normalise(v.mention) for v in values]

    def covered(short: str, full: str) -> bool:
        return bool(short) and short != full and (full.endswith(" " + short) or full.startswith(short + " "))

    gone = {i for i, a in enumerate(keys) for j, b in enumerate(keys) if i != j and covered(a, b)}
    if gone:
        setattr(m, field, [v for i, v in enumerate(values) if i not in gone])


def _capitalised_words(ctx: Context, m: EventMention, field: str, mention: str) -> set[str]:
    """The lower-cased words of ``mention`` written with a capital in the (truecased) annotated text."""
    low = mention.lower()
    for span in m.evidence.get(field, []):
        if span.text.lower() == low:
            return {w.lower() for w in ctx.doc.text[span.start:span.end].split() if w[:1].isupper()}
    return set()


def _nearest(ctx: Context, pairs: list[tuple[Incident, EventMention]], char: int, sent: int) -> int:
    best = None
    for k, (inc, _m) in enumerate(pairs):
        for t in inc.triggers:
            key = (abs(ctx.sent_of[t.token.i] - sent), abs(t.start - char))
            if best is None or key < best[0]:
                best = (key, k)
    return best[1] if best else 0


def _org_or_individual(ctx: Context, f):
    if f.role != "PerpOrg":
        return f
    span = ctx.doc.char_span(f.start, f.end, alignment_mode="expand")
    if span is None or any(t.ent_type_ in {"ORG", "NORP", "GPE", "PERSON"} or t.lower_ in ORG_WORDS for t in span) \
            or span.root.text[:1].isupper():
        return f
    return replace(f, role="PerpInd")


def veto_levels(setting: float | dict[str, float]) -> dict[str, float]:
    """The veto level of each role from the model's ``veto`` setting: one number for all, or one per role."""
    if isinstance(setting, dict):
        return {role: float(setting.get(role, DEFAULT_VETO)) for role in FIELD_OF_ROLE}
    return {role: float(setting) for role in FIELD_OF_ROLE}


def _veto(m: EventMention, role: str, field: str, best_p: dict[tuple[str, str], float], veto: float) -> None:
    """Drop the rule values of ``field`` that the model scores below ``veto`` for ``role`` (unless protected)."""
    def stands(v: object) -> bool:
        p = best_p.get((role, " ".join(v.mention.lower().split())), 0.0 if role in UNSEEN_VETOED else None)
        return p is None or p >= veto or _protected(m, field, v)

    _keep_only(m, field, [v for v in getattr(m, field) if stands(v)])


def _clear(m: EventMention, field: str) -> None:
    """Drop the rule values of ``field`` except the protected ones."""
    _keep_only(m, field, [v for v in getattr(m, field) if _protected(m, field, v)])


def _protected(m: EventMention, field: str, value: object) -> bool:
    """Whether a rule value stands whatever the model says: a group's own claim, a perpetrator the rules
    resolved to a known actor (a listed group or a state's forces) or written as an acronym in cased text
    ("LeN" militants: a group the article may define elsewhere), a perpetrator named as a person, an
    unnamed victim, a police or army target, a weapon type implied by the wording, a weapon the sentence says
    an act was done with ("attacked ... with rockets"). The model was trained on one corpus (MUC-4), has
    never seen most of today's groups and learned that corpus's notion of each role; these values rest on
    evidence it cannot weigh."""
    if field == "perpetrators":
        return (m.reasons.get(field, "") in KEEP_REASONS or bool(getattr(value, "actor_id", None))
                or getattr(value, "name", None) in GROUPS or is_state_name(getattr(value, "name", None) or "")
                or bool(ACRONYM.fullmatch(getattr(value, "mention", ""))))
    if field == "perpetrator_individuals":
        return bool(getattr(value, "name", None)) or m.reasons.get(field, "") in KEEP_REASONS
    if field == "weapons":  # a type read from the wording ("shot dead"): no phrase for the model to judge;
        # what the attack was done with ("attacked ... with rockets"): the sentence says so
        return bool(getattr(value, "implied", False) or getattr(value, "instrument", False))
    if field == "victims":  # MUC-4 keys named victims only: the model never learned "three policemen"
        return not getattr(value, "name", None)
    if field == "targets":  # MUC-4 never keys police or army posts as targets of terrorism; we do
        return is_state_target(getattr(value, "mention", ""), getattr(value, "type", None))
    return False


def _keep_only(m: EventMention, field: str, keep: list) -> None:
    """Set ``field`` to ``keep`` (a subset of its values) and drop the evidence of the values that went."""
    if len(keep) == len(getattr(m, field)):
        return
    kept = {v.mention.lower() for v in keep}
    setattr(m, field, keep)
    spans = [s for s in m.evidence.get(field, []) if s.text.lower() in kept]
    if spans:
        m.evidence[field] = spans
    else:
        m.evidence.pop(field, None)
        m.reasons.pop(field, None)


def _add(ctx: Context, m: EventMention, role: str, field: str, f) -> None:
    low = f.text.lower()
    values = getattr(m, field)
    if any(v.mention.lower() == low for v in values):
        return
    last = low.split()[-1] if low.split() else low
    if role == "PerpInd":
        values.append(Individual(mention=f.text))
    elif role == "PerpOrg":
        values.append(ActorRef(name=f.text, mention=f.text))
    elif role == "Target":
        values.append(Target(mention=f.text, type=TARGET_NOUNS.get(last) or TARGET_NOUNS.get(last.rstrip("s"))))
    elif role == "Victim":
        values.append(Victim(mention=f.text, name=f.text, type="Private Citizens & Property"))
    else:
        wtype = WEAPONS.get(low) or WEAPONS.get(last) or WEAPONS.get(last.rstrip("s"))
        values.append(Weapon(mention=f.text, type=wtype))
    m.add_evidence(field, ctx.span(f.start, f.end), reason=f"model:role-np p={f.p:.2f}")
