"""CEAF-REE: entity-level scoring of role fillers, as used for MUC-4 since Du et al. (2021).

Per document and role, predicted entities are aligned one-to-one with gold entities by a maximum bipartite
matching, so a system cannot earn two points for saying the same thing twice. An entity is a list of
alternative strings (coreferent names of one thing). A predicted entity matches a gold entity when *all* of its
strings are among the gold entity's strings after :func:`normalise`; a match is worth one point.
Precision = matches / predicted entities, recall = matches / gold entities, per role and micro-averaged over
all roles (counts are summed over documents first, then over roles).

The matching is an exact Hungarian algorithm (Kuhn-Munkres), written out here because scipy is not a
dependency; the matrices are tiny (a handful of entities per role and document).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

MUC_ROLES: tuple[str, ...] = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")

Entity = list[str]
RoleEntities = dict[str, list[Entity]]

_ARTICLES = re.compile(r"\b(?:a|an|the)\b")


def normalise(text: str) -> str:
    """Lower-case, drop punctuation, drop the words a/an/the, collapse whitespace.

    This is the SQuAD-style normalisation the published CEAF-REE scorers use: punctuation is *removed*
    (so "president's" becomes "presidents" and "self-defense" becomes "selfdefense"), not turned into
    spaces, which keeps our figures comparable with published ones.
    """
    lowered = text.lower()
    kept = "".join(ch for ch in lowered if not unicodedata.category(ch).startswith("P"))
    # Symbols that string.punctuation holds but Unicode files under S* (e.g. "$", "+", "<", "`", "^", "|", "~").
    kept = "".join(ch for ch in kept if ch not in "$+<=>^`|~")
    return " ".join(_ARTICLES.sub(" ", kept).split())


def merge_alternatives(groups: Iterable[Sequence[str]]) -> list[Entity]:
    """Merge groups of alternative strings that share a normalised string into entities.

    Each group names one thing ("fmln" and its canonical name); groups that overlap after normalisation are
    the same thing seen in two events, so they become one entity. Within an entity, strings are kept in
    first-seen order and de-duplicated by normalised form (the first surface form wins). Empty strings and
    strings that normalise to nothing are dropped.
    """
    entities: list[list[str]] = []
    keys: list[set[str]] = []
    for group in groups:
        strings = [s for s in group if s and normalise(s)]
        if not strings:
            continue
        group_keys = {normalise(s) for s in strings}
        hits = [i for i, k in enumerate(keys) if k & group_keys]
        merged: list[str] = []
        merged_keys: set[str] = set()
        for i in hits:
            merged.extend(entities[i])
            merged_keys |= keys[i]
        merged.extend(strings)
        merged_keys |= group_keys
        for i in reversed(hits):
            del entities[i]
            del keys[i]
        insert_at = hits[0] if hits else len(entities)
        entities.insert(insert_at, dedupe_strings(merged))
        keys.insert(insert_at, merged_keys)
    return entities


def dedupe_strings(strings: Iterable[str]) -> list[str]:
    """Drop empty strings and repeats by normalised form, keeping the first surface form of each."""
    seen: set[str] = set()
    out: list[str] = []
    for s in strings:
        key = normalise(s)
        if key and key not in seen:
            seen.add(key)
            out.append(s)
    return out


def entity_matches(predicted: Sequence[str], gold: Sequence[str]) -> bool:
    """True when every string of ``predicted`` is one of ``gold``'s strings after normalisation."""
    pred_keys = {normalise(s) for s in predicted}
    gold_keys = {normalise(s) for s in gold}
    return bool(pred_keys) and pred_keys <= gold_keys


def max_weight_matching(weights: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """A one-to-one assignment of rows to columns with the largest total weight (Hungarian algorithm).

    ``weights`` is a rows x columns matrix of non-negative numbers (may be rectangular or empty). Returns
    the matched ``(row, column)`` pairs whose weight is positive, sorted by row. O(n^2 m).
    """
    n_rows = len(weights)
    n_cols = len(weights[0]) if n_rows else 0
    if n_rows == 0 or n_cols == 0:
        return []
    transpose = n_rows > n_cols
    matrix = [list(r) for r in zip(*weights)] if transpose else [list(r) for r in weights]
    n, m = len(matrix), len(matrix[0])  # n <= m
    top = max(max(r) for r in matrix)
    cost = [[top - w for w in row] for row in matrix]  # maximise weight = minimise cost
    inf = float("inf")
    # 1-based potentials u (rows), v (columns); p[j] = row assigned to column j; way = augmenting path.
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    p = [0] * (m + 1)
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    pairs = []
    for j in range(1, m + 1):
        if p[j] and matrix[p[j] - 1][j - 1] > 0:
            row, col = p[j] - 1, j - 1
            pairs.append((col, row) if transpose else (row, col))
    return sorted(pairs)


def align_role(predicted: Sequence[Sequence[str]], gold: Sequence[Sequence[str]]) -> list[tuple[int, int]]:
    """The one-to-one alignment of predicted to gold entities of one role in one document."""
    weights = [[1.0 if entity_matches(p, g) else 0.0 for g in gold] for p in predicted]
    return max_weight_matching(weights)


def _clean(entities: Iterable[Sequence[str]] | None) -> list[list[str]]:
    # An entity with no usable string cannot be scored; it is neither a prediction nor a key.
    return [list(e) for e in (entities or []) if any(s and normalise(s) for s in e)]


def _prf(match: int, pred: int, gold: int) -> dict[str, float | int]:
    p = match / pred if pred else 0.0
    r = match / gold if gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f1, "pred": pred, "gold": gold, "match": match}


def ceaf_ree_score(
    predictions: Mapping[str, Mapping[str, Sequence[Sequence[str]]]],
    gold: Mapping[str, Mapping[str, Sequence[Sequence[str]]]],
    *,
    roles: Sequence[str] = MUC_ROLES,
) -> dict:
    """Score predicted role fillers against gold with CEAF-REE.

    Both arguments map docid -> role -> list of entities (each a list of alternative strings). A document
    missing from ``predictions`` predicts nothing; a document only in ``predictions`` has empty gold (its
    predictions all count as false positives). Returns
    ``{"per_role": {role: {p, r, f1, pred, gold, match}}, "micro": {...}, "docs": n}``.
    """
    counts = {role: [0, 0, 0] for role in roles}  # match, pred, gold
    docids = list(gold) + [d for d in predictions if d not in gold]
    for docid in docids:
        pred_doc = predictions.get(docid) or {}
        gold_doc = gold.get(docid) or {}
        for role in roles:
            pred_entities = _clean(pred_doc.get(role))
            gold_entities = _clean(gold_doc.get(role))
            counts[role][0] += len(align_role(pred_entities, gold_entities))
            counts[role][1] += len(pred_entities)
            counts[role][2] += len(gold_entities)
    per_role = {role: _prf(c[0], c[1], c[2]) for role, c in counts.items()}
    totals = [sum(c[i] for c in counts.values()) for i in range(3)]
    return {"per_role": per_role, "micro": _prf(*totals), "docs": len(docids)}


def format_scores(scores: Mapping) -> str:
    """A plain-text table of a score dict from :func:`ceaf_ree_score` (plus timing, when present)."""
    header = f"{'role':<12}{'P':>8}{'R':>8}{'F1':>8}{'pred':>7}{'gold':>7}{'match':>7}"
    lines = [header, "-" * len(header)]

    def row(name: str, s: Mapping) -> str:
        return (
            f"{name:<12}{s['p'] * 100:>8.2f}{s['r'] * 100:>8.2f}{s['f1'] * 100:>8.2f}"
            f"{s['pred']:>7}{s['gold']:>7}{s['match']:>7}"
        )

    for role, s in scores["per_role"].items():
        lines.append(row(role, s))
    lines.append("-" * len(header))
    lines.append(row("micro", scores["micro"]))
    footer = f"documents: {scores['docs']}"
    timing = scores.get("timing")
    if timing:
        footer += f"   extraction: {timing['seconds']:.2f} s ({timing['docs_per_s']:.1f} docs/s)"
    lines.append(footer)
    return "\n".join(lines)
