"""spaCy EntityRuler patterns for every actor name in the knowledge base.

The extractor puts these before ``ner`` so that multi-word and hyphenated names ("Tehrik-i-Taliban
Pakistan", "Jamaat-ul-Ahrar"), which the statistical model splits or mislabels, come out as one ORG entity
whose ``ent_id_`` is the actor id. Token patterns use ``LOWER`` so that ALL-CAPS wire copy and lower-cased
text match too; acronyms that are also words ("IS", "AA") use ``ORTH``. A hyphen inside a name is optional,
so "al-Qaeda" also matches "al Qaeda". State forces get compact patterns: country name or demonym, an
optional possessive, then a force noun ("Pakistani troops", "Pakistan's army", "U.S. forces").
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from .actor_data import fold, needs_case

if TYPE_CHECKING:
    from .actors import ActorKB

_MIL_SINGLE = ["army", "military", "troops", "soldiers", "forces", "navy", "marines", "commandos",
               "paratroopers", "warplanes", "jets", "drones", "gunships", "junta"]
_MIL_FIRST = ["security", "armed", "military", "defence", "defense", "special", "government", "naval",
              "regime", "air", "paramilitary"]
_POL_SINGLE = ["police", "policemen", "gendarmerie", "gendarmes", "cops"]
_POL_FIRST = ["riot", "national", "federal", "border", "traffic"]


@functools.lru_cache(maxsize=1)
def _blank_tokenizer() -> Any:
    import spacy

    return spacy.blank("en").tokenizer


def _tokens(text: str, tokenizer: Any) -> list[str]:
    return [t.text for t in tokenizer(text) if not t.is_space]


def _token_pattern(tokens: list[str], *, cased: bool) -> list[dict[str, Any]]:
    pattern: list[dict[str, Any]] = []
    for tok in tokens:
        if tok in ("-", "\u2013"):
            pattern.append({"ORTH": tok, "OP": "?"})
        elif cased:
            pattern.append({"ORTH": tok})
        else:
            pattern.append({"LOWER": tok.lower()})
    return pattern


def _variants(name: str) -> list[str]:
    name = name.strip()
    if name.lower().startswith("the "):
        name = name[4:]
    out = [name, fold(name)]
    if "'" in name or "\u2019" in name:
        out.append(name.replace("'", "").replace("\u2019", ""))
    return list(dict.fromkeys(v for v in out if v))


def build_patterns(kb: ActorKB, *, label: str, include_state_forces: bool, nlp: Any) -> list[dict[str, Any]]:
    """The patterns of ``ActorKB.patterns`` (see there)."""
    tokenizer = nlp.tokenizer if nlp is not None else _blank_tokenizer()
    seen: set[tuple[str, str]] = set()
    patterns: list[dict[str, Any]] = []

    def add(actor_id: str | None, pattern: list[dict[str, Any]]) -> None:
        sig = (actor_id or "", repr(pattern))
        if pattern and sig not in seen:
            seen.add(sig)
            item: dict[str, Any] = {"label": label, "pattern": pattern}
            if actor_id:
                item["id"] = actor_id
            patterns.append(item)

    for entry in kb.all():
        if entry.source == "generated" and not include_state_forces:
            continue
        names = entry.names()
        if entry.source == "generated":  # generated aliases are covered by the compact patterns below
            names = tuple(n for n in names if n == entry.name or n in entry.user_aliases)
        cased_names = set(entry.case_sensitive_aliases)
        for name in names:
            cased = name in cased_names or needs_case(name)
            # a name several actors share ("Taliban") gets no id: the resolver decides it in context
            actor_id = entry.actor_id if len(kb.candidates(name)) <= 1 else None
            for variant in _variants(name):
                add(actor_id, _token_pattern(_tokens(variant, tokenizer), cased=cased))
    if include_state_forces:
        for code, forms in kb.countries().items():
            lower = code.lower()
            places = [(n, True) for n in (forms.name, *forms.names)] + [(d, False) for d in forms.demonyms]
            for place, possessive in places:
                for variant in _variants(place):
                    head = _token_pattern(_tokens(variant, tokenizer), cased=needs_case(variant))
                    opt = [{"LOWER": {"IN": ["'s", "\u2019s"]}, "OP": "?"}] if possessive else []
                    add(f"military-{lower}", head + opt + [{"LOWER": {"IN": _MIL_SINGLE}}])
                    add(f"military-{lower}", head + opt + [{"LOWER": {"IN": _MIL_FIRST}},
                                                           {"LOWER": {"IN": ["forces", "force", "troops"]}}])
                    add(f"police-{lower}", head + opt + [{"LOWER": {"IN": _POL_SINGLE}}])
                    add(f"police-{lower}", head + opt + [{"LOWER": {"IN": _POL_FIRST}}, {"LOWER": "police"}])
    return patterns
