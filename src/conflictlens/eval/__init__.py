"""Benchmark readers and scorers (MUC-4 CEAF-REE, WikiEvents, places, dates, actors, fusion)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import ConflictLensError


def iter_jsonl(path: str | Path) -> Iterator[tuple[int, Any]]:
    """``(line number, parsed record)`` for each non-blank line of a labelled JSONL file; E501 (with the
    path, and the line number for a malformed line) when the file is missing, undecodable or malformed."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConflictLensError("E501", str(exc), path=str(path)) from exc
    for lineno, line in enumerate(lines, start=1):
        if line.strip():
            try:
                yield lineno, json.loads(line)
            except json.JSONDecodeError as exc:
                raise ConflictLensError("E501", f"malformed JSON: {exc}", path=str(path), line=lineno) from exc
