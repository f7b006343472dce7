"""WikiEvents (KAIROS) as a modern-news check of role extraction, scored at entity level.

Gold: the arguments of attack, die and injure events, mapped to our roles (Attacker/Killer/Injurer ->
Perpetrator, Target -> Target, Victim -> Victim, Instrument/ExplosiveDevice -> Weapon, Place -> Place).
Each argument is widened to its coreference cluster (``coref/<split>.jsonlines``): every mention of the
cluster is an acceptable string, so a system that names "the general" where the key says "Major General
Asapov" still scores. Entities are pooled per role and document, and scored with the same CEAF-REE
alignment as MUC-4 (:mod:`conflictlens.eval.ceaf`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from conflictlens.errors import ConflictLensError
from conflictlens.eval import iter_jsonl
from conflictlens.eval.ceaf import (
    RoleEntities,
    ceaf_ree_score,
    dedupe_strings,
    merge_alternatives,
    normalise,
)
from conflictlens.model import Incident

WIKIEVENTS_ROLES: tuple[str, ...] = ("Perpetrator", "Target", "Victim", "Weapon", "Place")

#: KAIROS argument role -> our role, for the event types below.
ROLE_MAP: dict[str, str] = {
    "Attacker": "Perpetrator",
    "Killer": "Perpetrator",
    "Injurer": "Perpetrator",
    "Target": "Target",
    "Victim": "Victim",
    "Instrument": "Weapon",
    "ExplosiveDevice": "Weapon",
    "Place": "Place",
}
EVENT_PREFIXES: tuple[str, ...] = ("Conflict.Attack.", "Life.Die.", "Life.Injure.")

ExtractFn = Callable[[str, str], Sequence[Incident]]


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [record for _, record in iter_jsonl(path)]


def default_coref_path(path: str | Path) -> Path:
    """``.../dev.jsonl`` -> ``.../coref/dev.jsonlines`` (the layout of the WikiEvents release)."""
    path = Path(path)
    return path.parent / "coref" / (path.stem + ".jsonlines")


def read_wikievents(path: str | Path, *, coref_path: str | Path | None = None) -> list[dict[str, Any]]:
    """Read a WikiEvents split: ``[{docid, doctext, gold: {role: [[alternative strings], ...]}}]``.

    Arguments of attack/die/injure events become entities; two arguments in the same coreference cluster
    are one entity (per role), whose strings are all the cluster's mention texts. An argument whose entity
    is in no cluster is its own singleton. Raises ``ConflictLensError`` E501 for a missing or malformed file.
    """
    rows = _read_jsonl(Path(path))
    coref_file = Path(coref_path) if coref_path is not None else default_coref_path(path)
    clusters_by_doc = {r["doc_key"]: r.get("clusters") or [] for r in _read_jsonl(coref_file)}
    docs = []
    for lineno, row in enumerate(rows, start=1):
        try:
            docs.append(_gold_doc(row, clusters_by_doc.get(row["doc_id"], [])))
        except (KeyError, TypeError, IndexError) as exc:
            raise ConflictLensError(
                "E501", f"malformed WikiEvents record: {exc}", path=str(path), line=lineno
            ) from exc
    return docs


def _gold_doc(row: dict[str, Any], clusters: list[list[str]]) -> dict[str, Any]:
    mention_text = {m["id"]: m["text"] for m in row["entity_mentions"]}
    cluster_of: dict[str, int] = {}
    for index, cluster in enumerate(clusters):
        for entity_id in cluster:
            cluster_of[entity_id] = index
    entities: dict[str, dict[object, list[str]]] = {role: {} for role in WIKIEVENTS_ROLES}
    for event in row["event_mentions"]:
        if not event["event_type"].startswith(EVENT_PREFIXES):
            continue
        for argument in event["arguments"]:
            role = ROLE_MAP.get(argument["role"])
            if role is None:
                continue
            entity_id = argument["entity_id"]
            key: object = cluster_of.get(entity_id, entity_id)
            if key not in entities[role]:
                members = clusters[key] if isinstance(key, int) else [entity_id]
                strings = [mention_text[m] for m in members if m in mention_text] or [argument["text"]]
                entities[role][key] = strings
    # Clusters are kept apart even when they share a string (two clusters may both hold "he"); an argument in
    # no cluster whose text is already a string of an entity of the same role is taken to be that entity.
    gold: RoleEntities = {}
    for role, by_key in entities.items():
        clustered = [dedupe_strings(v) for k, v in by_key.items() if isinstance(k, int)]
        known = {normalise(x) for strings in clustered for x in strings}
        singletons = [dedupe_strings(v) for k, v in by_key.items() if not isinstance(k, int)]
        gold[role] = clustered + [v for v in merge_alternatives(singletons) if not known & {normalise(x) for x in v}]
    return {"docid": row["doc_id"], "doctext": row["text"], "gold": gold}


def mention_to_wikievents_roles(events: Iterable[Incident]) -> RoleEntities:
    """Map a document's events to WikiEvents roles; each predicted entity holds one string as written.

    Perpetrator <- perpetrators and perpetrator_individuals (mentions); Target, Victim (named or not),
    Weapon <- their mentions; Place <- the text of the location's evidence spans (else the place name).
    One string per entity, so a prediction matches a gold entity when it equals any mention of the cluster.
    """
    groups: dict[str, list[list[str]]] = {role: [] for role in WIKIEVENTS_ROLES}
    for event in events:
        groups["Perpetrator"].extend([a.mention] for a in event.perpetrators)
        groups["Perpetrator"].extend([p.mention] for p in event.perpetrator_individuals)
        groups["Target"].extend([t.mention] for t in event.targets)
        groups["Victim"].extend([v.mention] for v in event.victims)
        groups["Weapon"].extend([w.mention] for w in event.weapons if not w.implied)
        spans = event.evidence.get("location") or []
        if spans:
            groups["Place"].extend([s.text] for s in spans)
        elif event.location.name:
            groups["Place"].append([event.location.name])
    return {role: merge_alternatives(g) for role, g in groups.items()}


def run_wikievents_eval(
    path: str | Path,
    *,
    extract_fn: ExtractFn,
    coref_path: str | Path | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """Run ``extract_fn(docid, text)`` over a WikiEvents split and score it at entity level.

    Returns the score dict of :func:`conflictlens.eval.ceaf.ceaf_ree_score` over ``WIKIEVENTS_ROLES``,
    plus ``timing`` ({seconds, docs_per_s}) and ``path``.
    """
    docs = read_wikievents(path, coref_path=coref_path)
    if limit is not None:
        docs = docs[:limit]
    predictions: dict[str, RoleEntities] = {}
    elapsed = 0.0
    for doc in docs:
        started = time.perf_counter()
        predictions[doc["docid"]] = mention_to_wikievents_roles(extract_fn(doc["docid"], doc["doctext"]))
        elapsed += time.perf_counter() - started
    gold = {doc["docid"]: doc["gold"] for doc in docs}
    scores = ceaf_ree_score(predictions, gold, roles=WIKIEVENTS_ROLES)
    scores["timing"] = {"seconds": elapsed, "docs_per_s": len(docs) / elapsed if elapsed > 0 else 0.0}
    scores["path"] = str(path)
    return scores
