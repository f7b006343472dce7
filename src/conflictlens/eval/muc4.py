"""MUC-4 role-filler entity extraction (REE): read the GRIT-format split, map our events to the five roles,
run an extractor over the documents and score it with CEAF-REE.

The data lives outside the package (``../shared/data/muc4/ree_grit/{train,dev}.jsonl``; the test split is
kept by the external evaluator). The extractor is passed in (``extract_fn``), so this module depends on the
data model only and the scoring can be tested without a language model.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from conflictlens.errors import ConflictLensError
from conflictlens.eval import iter_jsonl
from conflictlens.eval.ceaf import (
    MUC_ROLES,
    RoleEntities,
    ceaf_ree_score,
    format_scores,
    merge_alternatives,
)
from conflictlens.extraction.casualties import LOWER_Q, UPPER_Q, VAGUE
from conflictlens.extraction.lexicon import NAME_PREFIXES, is_state_target
from conflictlens.model import Incident

__all__ = [
    "MUC_ROLES",
    "format_scores",
    "mention_to_muc_roles",
    "muc4_relevant",
    "read_ree_grit",
    "run_muc4_eval",
    "target_id",
]

ExtractFn = Callable[[str, str], Sequence[Incident]]


def read_ree_grit(path: str | Path) -> list[dict[str, Any]]:
    """Read a GRIT/REE JSONL split: ``[{docid, doctext, gold: {role: [[alternative strings], ...]}}]``.

    Each gold entity's ``[mention, offset]`` pairs become a list of mention strings (the offsets are only
    first occurrences and are not needed to score). Every MUC role is present in ``gold`` (empty when
    the file has none). Raises ``ConflictLensError`` E501 when the file is missing or a line is malformed.
    """
    docs = []
    for lineno, row in iter_jsonl(path):
        try:
            docs.append(
                {
                    "docid": str(row["docid"]),
                    "doctext": str(row["doctext"]),
                    "gold": _gold_roles(row.get("extracts") or {}),
                }
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConflictLensError("E501", f"malformed REE record: {exc}", path=str(path), line=lineno) from exc
    return docs


def _gold_roles(extracts: dict[str, Any]) -> RoleEntities:
    gold: RoleEntities = {}
    for role in MUC_ROLES:
        entities = []
        for entity in extracts.get(role) or []:
            # A mention is [string, offset] in the GRIT files; accept a bare string too.
            strings = [m if isinstance(m, str) else str(m[0]) for m in entity]
            if strings:
                entities.append(strings)
        gold[role] = entities
    return gold


def _as_written(name: str | None, text: str | None) -> str | None:
    """``name`` as it is written in ``text`` (case-insensitive search), or None when it is not there.

    Without a text, the name is returned unchanged: the caller has chosen not to check.
    """
    if not name:
        return None
    if text is None:
        return name
    match = re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text, flags=re.IGNORECASE)
    return match.group(0) if match else None


# A count or amount before a physical target ("two transformers", "approximately 50 neighboring residences"):
# the MUC-4 key holds the count in its own slot (PHYS TGT: NUMBER), so the target's ID is written without it.
# The qualifiers and vague amounts are the ones the casualty reader knows.
_QUANTITY = re.compile(
    r"^(?:(?:" + "|".join(re.escape(q) for q in sorted(set(LOWER_Q + UPPER_Q), key=lambda q: (-len(q), q))) + r")\s+)?"
    r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|"
    r"fifty|hundred|several|many|various|numerous|a few|a number of|"
    + "|".join(f"{amount} of" for amount in VAGUE) + r")\s+",
    flags=re.IGNORECASE,
)


def muc4_relevant(event: Incident) -> bool:
    """Whether MUC-4 would key ``event`` at all. Its task definition leaves out "clashes" between guerrillas
    and a state's forces, where only the military or police is hit (template-doc part 1, rule 1b): a battle
    with no target or victim reported, or with only state forces and their posts as targets and unnamed
    victims, is not a MUC-4 incident. Everything else is; conflictlens keeps all of them."""
    if event.event_type != "Battles" or any(v.name for v in event.victims):
        return True
    hit = [(t.mention, t.type) for t in event.targets] + [(v.mention, v.type) for v in event.victims]
    return any(not is_state_target(mention, kind) for mention, kind in hit)


def target_id(mention: str) -> str:
    """A physical target as MUC-4 keys its ID: without a leading count ("two transformers" -> "transformers")."""
    return _QUANTITY.sub("", mention, count=1) or mention


def _one_per_person(names: list[str]) -> list[str]:
    """Named victims of one document, one string per person. A value joining two names ("heyndal and
    teneda") names no one person; a name whose words (titles aside) all occur in a fuller name of the
    document ("delgado parker", "dr guerrero" beside "hector delgado parker", "francisco jose guerrero") is
    that person again, and the fuller name stays."""
    names = [n for n in names if "and" not in n.lower().split()]
    words = [{w for w in n.lower().replace(".", " ").split() if w not in NAME_PREFIXES} for n in names]
    return [n for i, n in enumerate(names)
            if not any(j != i and words[i] and (words[i] < words[j] or (words[i] == words[j] and j < i))
                       for j in range(len(names)))]


def mention_to_muc_roles(events: Iterable[Incident], *, text: str | None = None) -> RoleEntities:
    """Map a document's events (``Event`` or ``EventMention``) to MUC-4 role entities.

    * Only events MUC-4 would key (:func:`muc4_relevant`: not a clash that hits only state forces).
    * PerpInd <- ``perpetrator_individuals`` (mention, plus the name when it differs): unnamed ones such
      as "gunmen" included.
    * PerpOrg <- ``perpetrators``: the mention, plus the canonical name as an alternative string.
    * Target <- ``targets`` that are no state force or post (MUC-4 keys attacks on civilians and
      infrastructure; a police station or an army patrol is a guerrilla-war target to it), without a
      leading count ("two transformers" -> "transformers").
    * Victim <- ``victims`` that have a ``name`` and are no known actor (the benchmark keys only named people):
      the name as written in the text, else the mention; one string per person in the document
      (:func:`_one_per_person`).
    * Weapon <- ``weapons`` (mentions), except types only implied by the wording.

    Groups sharing a normalised string are merged into one entity across all of the document's events.
    Strings are kept as they appear in ``text``: when ``text`` is given, a canonical name or person name
    that does not occur in it is left out (gold keys only hold strings from the text, and a prediction
    matches only when all its strings do); the case of the text is used.
    """
    groups: dict[str, list[list[str]]] = {role: [] for role in MUC_ROLES}
    victims: list[str] = []
    for event in events:
        if not muc4_relevant(event):
            continue
        for person in event.perpetrator_individuals:
            groups["PerpInd"].append([person.mention, _as_written(person.name, text) or ""])
        for actor in event.perpetrators:
            groups["PerpOrg"].append([actor.mention, _as_written(actor.name, text) or ""])
        for target in event.targets:
            if not is_state_target(target.mention, target.type):
                groups["Target"].append([target_id(target.mention)])
        for victim in event.victims:
            if victim.name and not victim.actor_id:  # a named person, not a force or group ("Salvadoran army")
                # the name alone when it is written in the text: the keys hold names, not the description
                # around them ("the murdered diplomat, Jorge Vargas" is keyed "Jorge Vargas")
                victims.append(_as_written(victim.name, text) or victim.mention)
        for weapon in event.weapons:
            if not weapon.implied:  # "shot dead" implies firearms but names no weapon
                groups["Weapon"].append([weapon.mention])
    groups["Victim"] = [[name] for name in _one_per_person(victims)]
    return {role: merge_alternatives(g) for role, g in groups.items()}


def run_muc4_eval(
    path: str | Path,
    *,
    extract_fn: ExtractFn,
    predictions_out: str | Path | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """Run ``extract_fn(docid, text)`` over a REE split and score it with CEAF-REE.

    Returns the score dict of :func:`ceaf_ree_score` plus ``timing`` ({seconds, docs_per_s}: extraction
    and role mapping only, not reading or scoring) and ``path``. With ``predictions_out``, writes one JSON
    line per document, ``{"docid", "roles": {role: [[strings]]}}``, the format external scorers read.
    """
    docs = read_ree_grit(path)
    if limit is not None:
        docs = docs[:limit]
    predictions: dict[str, RoleEntities] = {}
    gold: dict[str, RoleEntities] = {}
    elapsed = 0.0
    for doc in docs:
        started = time.perf_counter()
        events = extract_fn(doc["docid"], doc["doctext"])
        predictions[doc["docid"]] = mention_to_muc_roles(events, text=doc["doctext"])
        elapsed += time.perf_counter() - started
        gold[doc["docid"]] = doc["gold"]
    if predictions_out is not None:
        with open(predictions_out, "w", encoding="utf-8") as out:
            for docid, roles in predictions.items():
                out.write(json.dumps({"docid": docid, "roles": roles}, ensure_ascii=False) + "\n")
    scores = ceaf_ree_score(predictions, gold)
    scores["timing"] = {"seconds": elapsed, "docs_per_s": len(docs) / elapsed if elapsed > 0 else 0.0}
    scores["path"] = str(path)
    return scores

