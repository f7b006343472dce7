"""Alias-merging evaluation on MUC-4 PerpOrg names (issue 5, item 5).

The MUC-4 keys list coreferent names of one perpetrator organisation as alternatives ("FARABUNDO MARTI
NATIONAL LIBERATION FRONT" / "FMLN"). Gold clusters: the name strings of one entity, joined (union-find)
across templates and documents when a string appears in two entities. Our clusters: strings grouped by the
actor id the KB resolver gives them with no context (an unresolved string is a cluster of its own). Scored
pairwise: precision = correct same-cluster pairs / pairs we put together; recall = / pairs gold puts together.

A second view scores names per document, with each document's text as context (``ActorContext.from_text``):
there a bare "ARMY" can become the army of the country the report is about. Use the dev split only.

    python -m conflictlens.eval.actors ../shared/data/muc4/full_templates/dev.jsonl
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any, Hashable, Iterable

from ..errors import ConflictLensError
from ..resolve.actor_data import alias_key
from ..resolve.actors import ActorContext, ActorKB


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Hashable, Hashable] = {}

    def find(self, x: Hashable) -> Hashable:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: Hashable, b: Hashable) -> None:
        self.parent[self.find(a)] = self.find(b)


def _clean(name: str) -> str:
    return " ".join(name.strip().strip("\"'").split()).upper()


def _read(path: str | Path) -> list[dict[str, Any]]:
    try:
        with open(path, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        raise ConflictLensError("E501", str(exc), path=str(path)) from exc


def perp_org_entities(docs: Iterable[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    """(docid, [alternative name strings]) for every PerpOrg filler of every template."""
    out = []
    for doc in docs:
        for template in doc.get("templates") or []:
            for filler in (template.get("slots") or {}).get("perp_organization_id") or []:
                names = [_clean(s) for s in filler.get("strings") or [] if _clean(s)]
                if names:
                    out.append((doc["docid"], list(dict.fromkeys(names))))
    return out


def pairwise(items: Iterable[Hashable], gold: dict[Hashable, Hashable], ours: dict[Hashable, Hashable]
             ) -> dict[str, float | int]:
    """Pairwise precision/recall/F1 of clustering ``ours`` against ``gold`` (item -> cluster label)."""
    items = list(items)
    tp = fp = fn = 0
    for a, b in combinations(items, 2):
        same_gold, same_ours = gold[a] == gold[b], ours[a] == ours[b]
        tp += same_gold and same_ours
        fp += same_ours and not same_gold
        fn += same_gold and not same_ours
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "true_pairs": tp, "our_pairs": tp + fp,
            "gold_pairs": tp + fn}


def run_alias_eval(path: str | Path, *, kb: ActorKB | None = None) -> dict[str, Any]:
    """Score alias merging on one MUC-4 ``full_templates`` split; see the module docstring."""
    kb = kb or ActorKB.load()
    docs = _read(path)
    entities = perp_org_entities(docs)

    # string view: one item per distinct (cleaned) name string
    uf = _UnionFind()
    for _, names in entities:
        for name in names:
            uf.find(name)
        for a, b in zip(names, names[1:]):
            uf.union(a, b)
    strings = sorted(uf.parent)
    resolved = {s: kb.resolve(s) for s in strings}
    gold = {s: uf.find(s) for s in strings}
    ours = {s: (r.actor_id if r else f"unresolved:{s}") for s, r in resolved.items()}
    result: dict[str, Any] = {
        "split": str(path),
        "strings": len(strings),
        "gold_clusters": len(set(gold.values())),
        "our_clusters": len(set(ours.values())),
        "resolved_strings": sum(1 for r in resolved.values() if r),
        **pairwise(strings, gold, ours),
    }

    # document view: items are (docid, string), gold joined within a document, resolution in context
    texts = {d["docid"]: d.get("text") or d.get("doctext") or "" for d in docs}
    contexts = {docid: ActorContext.from_text(text, kb) for docid, text in texts.items()}
    doc_uf = _UnionFind()
    for docid, names in entities:
        for name in names:
            doc_uf.find((docid, name))
        for a, b in zip(names, names[1:]):
            doc_uf.union((docid, a), (docid, b))
    items = sorted(doc_uf.parent)
    by_doc: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for item in items:
        by_doc[item[0]].append(item)
    tp = fp = fn = 0
    for docid, doc_items in by_doc.items():
        doc_gold = {i: doc_uf.find(i) for i in doc_items}
        doc_ours = {}
        for item in doc_items:
            r = kb.resolve(item[1], context=contexts[docid])
            doc_ours[item] = r.actor_id if r else f"unresolved:{alias_key(item[1])}"
        scores = pairwise(doc_items, doc_gold, doc_ours)
        tp += int(scores["true_pairs"])
        fp += int(scores["our_pairs"]) - int(scores["true_pairs"])
        fn += int(scores["gold_pairs"]) - int(scores["true_pairs"])
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    result["per_document"] = {
        "items": len(items), "documents": len(by_doc), "precision": precision, "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "true_pairs": tp, "our_pairs": tp + fp, "gold_pairs": tp + fn,
    }
    result["unresolved"] = sorted(s for s, r in resolved.items() if r is None)
    return result


def format_alias_scores(d: dict[str, Any]) -> str:
    """A short plain-text report of ``run_alias_eval``'s result."""
    doc = d["per_document"]
    lines = [
        f"Alias merging on MUC-4 PerpOrg names ({d['split']})",
        f"  strings: {d['strings']}  gold clusters: {d['gold_clusters']}  our clusters: {d['our_clusters']}"
        f"  resolved by the KB: {d['resolved_strings']}",
        f"  pairwise  P {d['precision']:.3f}  R {d['recall']:.3f}  F1 {d['f1']:.3f}"
        f"  (pairs: ours {d['our_pairs']}, gold {d['gold_pairs']}, both {d['true_pairs']})",
        f"  per document, in context ({doc['items']} names in {doc['documents']} documents):"
        f"  P {doc['precision']:.3f}  R {doc['recall']:.3f}  F1 {doc['f1']:.3f}"
        f"  (pairs: ours {doc['our_pairs']}, gold {doc['gold_pairs']}, both {doc['true_pairs']})",
    ]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - a thin command for the figures in the issue
    default = Path(__file__).resolve().parents[4] / "shared/data/muc4/full_templates/dev.jsonl"
    target = sys.argv[1] if len(sys.argv) > 1 else str(default)
    sys.stdout.write(format_alias_scores(run_alias_eval(target)) + "\n")
