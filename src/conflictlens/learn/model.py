"""A multinomial logistic regression over hashed string features, in numpy only.

Features are strings; each is hashed (a stable hash, not Python's salted ``hash``) into ``2**bits`` rows of a
weight matrix with one column per class. Training is mini-batch Adagrad with L2 regularisation and a fixed
seed, so the same data always gives the same weights. The model saves to one ``.npz`` (weights as float16,
compressed) plus a JSON side file with the classes, settings and anything the caller adds (thresholds).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ResourceError

FORMAT = "conflictlens-hashed-logreg/1"


def hash_features(features: Sequence[str], bits: int) -> np.ndarray:
    """The row indices of ``features`` (crc32 modulo ``2**bits``), duplicates kept."""
    mask = (1 << bits) - 1
    return np.fromiter((zlib.crc32(f.encode("utf-8")) & mask for f in features), dtype=np.int64,
                       count=len(features))


class HashedLogReg:
    """Multinomial logistic regression over hashed binary features."""

    def __init__(self, classes: Sequence[str], *, bits: int = 18, weights: np.ndarray | None = None,
                 meta: dict[str, Any] | None = None) -> None:
        self.classes = list(classes)
        self.bits = bits
        self.weights = (weights if weights is not None
                        else np.zeros((1 << bits, len(self.classes)), dtype=np.float32))
        self.meta: dict[str, Any] = dict(meta or {})

    def encode(self, rows: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Hash ``rows`` of feature strings into (flat indices, row offsets) for :meth:`scores`."""
        idx = [hash_features(r, self.bits) for r in rows]
        offsets = np.zeros(len(idx) + 1, dtype=np.int64)
        offsets[1:] = np.cumsum([len(i) for i in idx])
        flat = np.concatenate(idx) if idx else np.zeros(0, dtype=np.int64)
        return flat, offsets

    def _logits(self, flat: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        n = len(offsets) - 1
        if n == 0:
            return np.zeros((0, len(self.classes)), dtype=np.float32)
        gathered = self.weights[flat]
        starts = offsets[:-1]
        sums = np.add.reduceat(gathered, starts, axis=0) if len(flat) else np.zeros((n, len(self.classes)))
        empty = offsets[1:] == starts
        if empty.any():
            sums[empty] = 0.0
        return sums.astype(np.float32)

    def predict_proba(self, rows: Sequence[Sequence[str]]) -> np.ndarray:
        """Class probabilities, one row per feature list (columns in ``classes`` order)."""
        flat, offsets = self.encode(rows)
        return _softmax(self._logits(flat, offsets))

    def fit(self, rows: Sequence[Sequence[str]], labels: Sequence[str], *, epochs: int = 6, lr: float = 0.2,
            l2: float = 1e-6, batch: int = 256, seed: int = 13, class_weight: dict[str, float] | None = None
            ) -> "HashedLogReg":
        """Train from scratch on ``rows`` (feature lists) and ``labels`` (class names); deterministic."""
        y = np.array([self.classes.index(lab) for lab in labels], dtype=np.int64)
        flat, offsets = self.encode(rows)
        lengths = np.diff(offsets)
        n, k = len(y), len(self.classes)
        cw = np.ones(k, dtype=np.float32)
        for name, w in (class_weight or {}).items():
            cw[self.classes.index(name)] = w
        w = np.zeros((1 << self.bits, k), dtype=np.float32)
        g2 = np.full((1 << self.bits, k), 1e-8, dtype=np.float32)
        rng = np.random.default_rng(seed)
        self.weights = w
        for _ in range(epochs):
            order = rng.permutation(n)
            for b0 in range(0, n, batch):
                ids = order[b0:b0 + batch]
                sel = np.concatenate([np.arange(offsets[i], offsets[i + 1]) for i in ids])
                bflat = flat[sel]
                blen = lengths[ids]
                boff = np.zeros(len(ids) + 1, dtype=np.int64)
                boff[1:] = np.cumsum(blen)
                p = _softmax(self._logits(bflat, boff))
                p[np.arange(len(ids)), y[ids]] -= 1.0
                p *= cw[y[ids]][:, None]
                grad_rows = np.repeat(p, blen, axis=0)
                uniq, inv = np.unique(bflat, return_inverse=True)
                grad = np.zeros((len(uniq), k), dtype=np.float32)
                np.add.at(grad, inv, grad_rows)
                grad += l2 * w[uniq] * len(ids)
                g2[uniq] += grad * grad
                w[uniq] -= lr * grad / np.sqrt(g2[uniq])
        return self

    def save(self, path: str | Path) -> None:
        """Write ``path`` (.npz, float16 weights) and ``path`` with suffix .json (classes, bits, meta)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, weights=self.weights.astype(np.float16))
        side = {"format": FORMAT, "classes": self.classes, "bits": self.bits, "meta": self.meta}
        path.with_suffix(".json").write_text(json.dumps(side, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> "HashedLogReg":
        """Read a model written by :meth:`save`. Raises ``ResourceError`` E405 when it is missing or broken."""
        path = Path(path)
        try:
            side = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            with np.load(path) as data:
                weights = data["weights"].astype(np.float32)
        except (OSError, ValueError, KeyError) as exc:
            raise ResourceError("E405", f"role model {path} could not be read: {exc}") from exc
        if side.get("format") != FORMAT or weights.shape != (1 << int(side["bits"]), len(side["classes"])):
            raise ResourceError("E405", f"role model {path} has an unknown format or shape")
        return cls(side["classes"], bits=int(side["bits"]), weights=weights, meta=side.get("meta") or {})


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
