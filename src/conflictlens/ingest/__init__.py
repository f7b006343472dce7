"""Ingest: news reports in many formats -> normalised ``Article`` records, plus an error for each problem.

Formats are chosen by extension (``.txt``, ``.html``/``.htm``, ``.json``, ``.jsonl``, ``.rss``/``.atom``/
``.xml``); directories are walked recursively; ``-`` reads stdin and sniffs its format. Bad input never
raises: each problem is yielded as an ``InputError`` with a stable code, path and line, and the batch goes on.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO, TextIO

from ..errors import ConflictLensError, InputError
from ..model import Article
from .feeds import read_feed
from .normalise import DEFAULT_MAX_BYTES, article_id_for, normalise_text, parse_published
from .paths import STDIN_NAME, binary_stdin, expand, format_for, open_binary, read_capped, sniff_format
from .readers import read_html, read_json, read_jsonl, read_text

__all__ = [
    "DEFAULT_MAX_BYTES",
    "article_id_for",
    "normalise_text",
    "parse_published",
    "read_inputs",
]

# Files that hold markup or many records may be larger than one article's text; each text is still capped.
HTML_SIZE_FACTOR = 5
CONTAINER_SIZE_FACTOR = 25

Reader = Callable[..., Iterator[Article | InputError]]
_WHOLE_FILE_READERS: dict[str, tuple[Reader, int]] = {
    "text": (read_text, 1),
    "html": (read_html, HTML_SIZE_FACTOR),
    "json": (read_json, CONTAINER_SIZE_FACTOR),
    "feed": (read_feed, CONTAINER_SIZE_FACTOR),
}


def read_inputs(
    paths: Iterable[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: TextIO | BinaryIO | None = None,
) -> Iterator[Article | ConflictLensError]:
    """Read every input under ``paths`` lazily, yielding Articles and, for each problem, an InputError.

    Warnings (codes ``W...``) come just before the Article they concern, which is still yielded.
    ``max_bytes`` caps the text of one article (and of one JSON Lines line); ``stdin`` serves ``-``.
    """
    for item in expand([paths] if isinstance(paths, str) else paths):
        if isinstance(item, InputError):
            yield item
        elif item == "-":
            yield from _read_stdin(stdin if stdin is not None else sys.stdin, max_bytes=max_bytes)
        else:
            yield from _read_file(item, max_bytes=max_bytes)


def _read_file(path: str, *, max_bytes: int) -> Iterator[Article | InputError]:
    fmt = format_for(path)
    if fmt is None:
        extension = os.path.splitext(path)[1]
        yield InputError("E108", repr(extension) if extension else "no extension", path=path)
        return
    if fmt == "jsonl":
        try:
            handle = open_binary(path)
        except OSError as exc:
            yield InputError("E111", exc.strerror or str(exc), path=path)
            return
        with handle:
            try:
                yield from read_jsonl(handle, path=path, origin=path, max_bytes=max_bytes)
            except OSError as exc:
                yield InputError("E111", exc.strerror or str(exc), path=path)
        return
    reader, factor = _WHOLE_FILE_READERS[fmt]
    data = read_capped(path, max_bytes * factor)
    if isinstance(data, InputError):
        yield data
        return
    yield from reader(data, path=path, origin=path, max_bytes=max_bytes)


def _read_stdin(stream: TextIO | BinaryIO, *, max_bytes: int) -> Iterator[Article | InputError]:
    try:
        head, binary = binary_stdin(stream)
        fmt = sniff_format(head)
        if fmt == "jsonl":
            yield from read_jsonl(binary, path=STDIN_NAME, origin=STDIN_NAME, max_bytes=max_bytes)
            return
        reader, factor = _WHOLE_FILE_READERS[fmt]
        limit = max_bytes * factor
        data = binary.read(limit + 1)
    except OSError as exc:
        yield InputError("E111", exc.strerror or str(exc), path=STDIN_NAME)
        return
    if len(data) > limit:
        yield InputError("E107", f"more than {limit:,} bytes, limit {limit:,}", path=STDIN_NAME)
        return
    yield from reader(data, path=STDIN_NAME, origin=STDIN_NAME, max_bytes=max_bytes)
