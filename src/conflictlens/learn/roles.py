"""Running the role classifier: score an annotated article's candidate noun phrases and pick the fillers.

The shipped model is ``conflictlens/data/role_np.npz`` (+ ``.json``), rebuilt by ``conflictlens train muc4``.
Decoding: each candidate's best role must reach that role's threshold (tuned on the MUC-4 dev split and
stored in the model's JSON); overlapping candidates keep the highest-scoring one; repeats of one string keep
their best occurrence. The classes are the MUC-4 roles, which the extractor maps to EventMention fields.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc

from ..eval.ceaf import normalise
from . import FIELD_OF_ROLE
from .features import Candidate, candidates
from .model import HashedLogReg

NONE = "none"
ROLES = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
CLASSES = (NONE,) + ROLES
MODEL_NAME = "role_np.npz"


@dataclass(frozen=True)
class RoleFill:
    """One filler the model chose: role, character range, text as in the article, probability."""

    role: str
    start: int
    end: int
    text: str
    p: float
    sent: int


def shipped_model_path() -> Path:
    return Path(str(resources.files("conflictlens") / "data" / MODEL_NAME))


@functools.lru_cache(maxsize=2)
def load_role_model(path: str | None = None) -> HashedLogReg | None:
    """The role model at ``path`` (default: the shipped one), loaded once per process; None when the default
    model is not shipped (the extractor then runs on rules alone)."""
    target = Path(path) if path else shipped_model_path()
    if path is None and not target.exists():
        return None
    return HashedLogReg.load(target)


def rule_roles(mentions: Iterable[Any]) -> dict[tuple[int, int], frozenset[str]]:
    """Character range -> the roles the rule-based extractor filled from it, over ``mentions``' evidence.

    A victim without a name is ``VictimDesc`` (the MUC-4 keys hold named victims only); every other field
    maps to its MUC-4 role. This is what the classifier's stacked ``rule=`` features read.
    """
    out: dict[tuple[int, int], set[str]] = {}
    for m in mentions:
        named = {v.mention.lower() for v in m.victims if v.name}
        for role, field in FIELD_OF_ROLE.items():
            for span in m.evidence.get(field, []):
                r = role
                if role == "Victim" and span.text.lower() not in named:
                    r = "VictimDesc"
                out.setdefault((span.start, span.end), set()).add(r)
    return {k: frozenset(v) for k, v in out.items()}


def score_candidates(model: HashedLogReg, doc: Doc, *, text: str | None = None,
                     rules: Mapping[tuple[int, int], frozenset[str]] | None = None
                     ) -> tuple[list[Candidate], np.ndarray]:
    """All candidates of ``doc`` and their class probabilities (columns in ``model.classes`` order).

    ``rules`` (from :func:`rule_roles`) is passed to models trained with stacked rule features only."""
    stacked = model.meta.get("stacked", False)
    cands = candidates(doc, text=text, rule_roles=(rules or {}) if stacked else None)
    if not cands:
        return cands, np.zeros((0, len(model.classes)))
    probs = model.predict_proba([c.features for c in cands])
    return cands, probs


def decode(cands: list[Candidate], probs: np.ndarray, classes: list[str], thresholds: dict[str, float],
           *, text: str) -> list[RoleFill]:
    """Choose the fillers: best role over threshold, no overlaps, one occurrence per (role, string)."""
    if not cands:
        return []
    role_cols = [k for k, c in enumerate(classes) if c != NONE]
    sub = probs[:, role_cols]
    best = sub.argmax(axis=1)
    score = sub[np.arange(len(cands)), best]
    kept = []
    for i in np.argsort(-score, kind="stable"):
        role = classes[role_cols[best[i]]]
        if score[i] >= thresholds.get(role, 0.5):
            kept.append((int(i), role, float(score[i])))
    taken: set[int] = set()
    seen: set[tuple[str, str]] = set()
    out = []
    for i, role, p in kept:
        c = cands[i]
        toks = set(range(c.first, c.last + 1))
        if toks & taken:
            continue
        taken |= toks
        key = (role, normalise(c.text))
        if not key[1] or key in seen:
            continue
        seen.add(key)
        out.append(RoleFill(role, c.start, c.end, text[c.start:c.end], p, c.sent))
    return sorted(out, key=lambda r: r.start)


def predict_roles(doc: Doc, *, text: str | None = None, model: HashedLogReg | None = None) -> list[RoleFill]:
    """The model's role fillers for an annotated article (empty when no model is available)."""
    model = model if model is not None else load_role_model()
    if model is None:
        return []
    text = doc.text if text is None else text
    cands, probs = score_candidates(model, doc, text=text)
    return decode(cands, probs, model.classes, model.meta.get("thresholds", {}), text=text)
