"""Training the role classifier on the MUC-4 train split (``../shared/data/muc4/ree_grit/train.jsonl``).

Labels come from the keys: a candidate whose normalised text (CEAF-REE normalisation: lower case, no
punctuation, no a/an/the) equals one of a key entity's strings gets that entity's role; every other candidate
is ``none``. Every occurrence of a keyed string is a positive example (the keys carry no reliable offsets).
With a dev file, per-role decision thresholds are then chosen on it to maximise doc-level CEAF-REE micro F1
(never on a test split). The result is deterministic for a given seed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..eval.ceaf import ceaf_ree_score, normalise
from ..eval.muc4 import read_ree_grit
from .features import Candidate, RuleRoles
from .model import HashedLogReg
from .roles import CLASSES, MODEL_NAME, NONE, ROLES, decode, rule_roles, score_candidates

DEFAULT_SEED = 13
# How the model's fillers combine with the rules' per role (see extraction.learned), chosen by measuring the
# whole pipeline on the dev split under the constraint that the rule-based fixture tests keep passing: the
# model's values, plus each rule value the model does not score below VETO for that role (values it cannot
# judge, such as a police post as a target, which MUC-4 never keys, are protected there). The levels were
# 0.02 for every role until the third session, when a more regularised model (below) made the rule values it
# doubts less likely keys: perpetrators and victims most, targets least. Weapons went from 0.08 to 0.12 in
# the fourth session (MUC-4 dev: the five rule weapons scored between the two were all wrong), once a weapon
# the sentence says an attack was done with ("attacked ... with rockets") became protected instead.
COMBINE = {"PerpInd": "veto", "PerpOrg": "veto", "Target": "veto", "Victim": "veto", "Weapon": "veto"}
VETO = {"PerpInd": 0.12, "PerpOrg": 0.12, "Target": 0.05, "Victim": 0.12, "Weapon": 0.12}
# Training settings (chosen on dev, third session): a smaller step and some L2 fit the keys less closely
# and score better on unseen text (model alone: 0.443 with lr 0.2, L2 1e-6; 0.477 with these).
LEARNING_RATE = 0.1
L2 = 1e-5
THRESHOLD_GRID = tuple(round(x, 2) for x in np.arange(0.15, 0.91, 0.05))


def gold_labels(gold: dict[str, list[list[str]]]) -> dict[str, str]:
    """normalised key string -> role (the first role that keys it)."""
    out: dict[str, str] = {}
    for role in ROLES:
        for entity in gold.get(role, []):
            for s in entity:
                out.setdefault(normalise(s), role)
    return out


def label_candidates(cands: Sequence[Candidate], gold: dict[str, list[list[str]]]) -> list[str]:
    keyed = gold_labels(gold)
    return [keyed.get(normalise(c.text), NONE) for c in cands]


def parse_split(docs: list[dict[str, Any]], nlp: Any, *, batch_size: int = 32) -> list[Any]:
    """Annotate the documents' texts exactly as the pipeline does (normalise, truecase, parse)."""
    from ..ingest import normalise_text
    from ..nlp import annotate

    return list(annotate([normalise_text(d["doctext"]) for d in docs], nlp, batch_size=batch_size))


def split_rule_roles(docs: list[dict[str, Any]], parsed: list[Any]) -> list[RuleRoles]:
    """What the rule-based extractor (no model) fills in each document, as the stacked features read it."""
    from ..extraction import extract_mentions
    from ..ingest import article_id_for, normalise_text
    from ..model import Article

    out = []
    for d, doc in zip(docs, parsed):
        body = normalise_text(d["doctext"])
        article = Article(article_id=article_id_for(body), text=body, source_id=d["docid"])
        out.append(rule_roles(extract_mentions(article, doc, learned=False)))
    return out


def train_model(docs: list[dict[str, Any]], parsed: list[Any], *, rules: list[RuleRoles] | None = None,
                seed: int = DEFAULT_SEED, bits: int = 18, epochs: int = 6) -> HashedLogReg:
    """Fit the classifier on annotated documents with their keys (and, stacked, the rules' roles)."""
    from .features import candidates

    rows: list[list[str]] = []
    labels: list[str] = []
    for k, (d, doc) in enumerate(zip(docs, parsed)):
        cands = candidates(doc, rule_roles=rules[k] if rules is not None else None)
        rows += [c.features for c in cands]
        labels += label_candidates(cands, d["gold"])
    model = HashedLogReg(CLASSES, bits=bits)
    model.meta["stacked"] = rules is not None
    model.fit(rows, labels, epochs=epochs, seed=seed, lr=LEARNING_RATE, l2=L2)
    model.meta["examples"] = len(rows)
    model.meta["positives"] = {r: labels.count(r) for r in ROLES}
    return model


def predict_split(model: HashedLogReg, docs: list[dict[str, Any]], parsed: list[Any],
                  thresholds: dict[str, float], *, rules: list[RuleRoles] | None = None
                  ) -> dict[str, dict[str, list[list[str]]]]:
    """Doc-level predictions {docid: {role: [[text]]}} of the model (with the rules' roles when stacked)."""
    out = {}
    for k, (d, doc) in enumerate(zip(docs, parsed)):
        cands, probs = score_candidates(model, doc, rules=rules[k] if rules is not None else None)
        fills = decode(cands, probs, model.classes, thresholds, text=doc.text)
        out[d["docid"]] = {r: [[f.text] for f in fills if f.role == r] for r in ROLES}
    return out


def tune_thresholds(model: HashedLogReg, docs: list[dict[str, Any]], parsed: list[Any], *,
                    rules: list[RuleRoles] | None = None) -> dict[str, float]:
    """Per-role thresholds maximising micro F1 on ``docs``: coordinate ascent, two rounds, from 0.5."""
    scored = [score_candidates(model, doc, rules=rules[k] if rules is not None else None)
              for k, doc in enumerate(parsed)]
    gold = {d["docid"]: d["gold"] for d in docs}
    thresholds = {r: 0.5 for r in ROLES}

    def micro(th: dict[str, float]) -> float:
        preds = {}
        for d, doc, (cands, probs) in zip(docs, parsed, scored):
            fills = decode(cands, probs, model.classes, th, text=doc.text)
            preds[d["docid"]] = {r: [[f.text] for f in fills if f.role == r] for r in ROLES}
        return ceaf_ree_score(preds, gold)["micro"]["f1"]

    best = micro(thresholds)
    for _ in range(2):
        for role in ROLES:
            for t in THRESHOLD_GRID:
                trial = dict(thresholds, **{role: t})
                f = micro(trial)
                if f > best + 1e-9:
                    best, thresholds = f, trial
    return thresholds


def train_muc4(train_path: str | Path, out_dir: str | Path, *, dev_path: str | Path | None = None,
               seed: int = DEFAULT_SEED, limit: int | None = None, nlp: Any = None,
               progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Train on ``train_path``, tune thresholds on ``dev_path`` (optional), write ``out_dir/role_np.npz``.

    Returns a summary (paths, example counts, thresholds, dev F1 of the model alone, seconds).
    """
    from ..nlp import load_nlp

    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    nlp = nlp if nlp is not None else load_nlp()
    docs = read_ree_grit(train_path)[:limit]
    say(f"parsing {len(docs)} training documents")
    parsed = parse_split(docs, nlp)
    say("running the rules over them")
    rules = split_rule_roles(docs, parsed)
    say("training")
    model = train_model(docs, parsed, rules=rules, seed=seed)
    thresholds = {r: float(t) for r, t in {r: 0.5 for r in ROLES}.items()}
    dev_f1 = None
    if dev_path is not None:
        dev = read_ree_grit(dev_path)
        say(f"tuning thresholds on {len(dev)} dev documents")
        dev_parsed = parse_split(dev, nlp)
        dev_rules = split_rule_roles(dev, dev_parsed)
        thresholds = {r: float(t) for r, t in tune_thresholds(model, dev, dev_parsed, rules=dev_rules).items()}
        preds = predict_split(model, dev, dev_parsed, thresholds, rules=dev_rules)
        dev_f1 = ceaf_ree_score(preds, {d["docid"]: d["gold"] for d in dev})["micro"]["f1"]
    model.meta.update({"thresholds": thresholds, "combine": COMBINE, "veto": VETO, "seed": seed,
                       "train": Path(train_path).name, "dev": Path(dev_path).name if dev_path else None,
                       "train_docs": len(docs),
                       "dev_micro_f1_model_only": dev_f1})
    out = Path(out_dir) / MODEL_NAME
    model.save(out)
    return {"model": str(out), "examples": model.meta["examples"], "positives": model.meta["positives"],
            "thresholds": thresholds, "dev_micro_f1_model_only": dev_f1,
            "seconds": round(time.perf_counter() - started, 1)}
