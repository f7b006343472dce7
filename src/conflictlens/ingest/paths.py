"""Where input comes from: paths, directories (walked lazily), file reading with a size cap, and stdin.

Directories are walked one entry at a time in sorted order, so a batch of a million files never sits in
memory; hidden files and directories (names starting with ".") are skipped.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO, TextIO

from ..errors import InputError

STDIN_NAME = "<stdin>"

# Extension (lower case) -> format name.
FORMATS: dict[str, str] = {
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".json": "json",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
}


def format_for(path: str) -> str | None:
    """The format a file's extension names (case-insensitive), or None when it is not an input format."""
    return FORMATS.get(os.path.splitext(path)[1].lower())


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def walk(root: str, *, _seen: set[tuple[int, int]] | None = None) -> Iterator[str | InputError]:
    """Yield the non-hidden files under ``root`` recursively, sorted by name; E111 for unreadable dirs.

    Symlinked directories are followed once each (a link loop is not walked forever).
    """
    seen = _seen if _seen is not None else set()
    try:
        info = os.stat(root)
        if (info.st_dev, info.st_ino) in seen:
            return
        seen.add((info.st_dev, info.st_ino))
        with os.scandir(root) as scan:
            entries = sorted((e for e in scan if not _is_hidden(e.name)), key=lambda e: e.name)
    except OSError as exc:
        yield InputError("E111", exc.strerror or str(exc), path=root)
        return
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from walk(entry.path, _seen=seen)
        else:
            yield entry.path


def expand(paths: Iterable[str]) -> Iterator[str | InputError]:
    """Yield each input path: files as given, ``-`` for stdin, directories expanded; E101 when missing."""
    for path in paths:
        path = os.fspath(path)
        if path == "-":
            yield path
        elif os.path.isdir(path):
            yield from walk(path)
        elif os.path.lexists(path):
            yield path
        else:
            yield InputError("E101", path=path)


def open_binary(path: str) -> BinaryIO:
    """Open a file for binary reading (a seam for tests that simulate unreadable files)."""
    return open(path, "rb")  # noqa: SIM115 - the caller closes it


def read_capped(path: str, limit: int) -> bytes | InputError:
    """Read at most ``limit`` bytes of a file; E107 when it is larger, E111 when it cannot be read."""
    try:
        size = os.stat(path).st_size
        if size > limit:
            return InputError("E107", f"{size:,} bytes, limit {limit:,}", path=path)
        with open_binary(path) as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        return InputError("E111", exc.strerror or str(exc), path=path)
    if len(data) > limit:
        return InputError("E107", f"more than {limit:,} bytes, limit {limit:,}", path=path)
    return data


class _ChainedReader(io.RawIOBase):
    """A raw binary stream that serves ``head`` and then whatever ``read_more(n)`` returns."""

    def __init__(self, head: bytes, read_more: Callable[[int], bytes]) -> None:
        super().__init__()
        self._pending = head
        self._read_more = read_more

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        while not self._pending:
            chunk = self._read_more(len(buffer))
            if not chunk:
                return 0
            self._pending = chunk
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def binary_stdin(stream: TextIO | BinaryIO) -> tuple[bytes, io.BufferedReader]:
    """Turn a text or binary stream into ``(first bytes, buffered binary stream from the start)``.

    Text streams are re-encoded as UTF-8, so the same decoding path serves both. The first bytes (up to
    8 KB) let the caller sniff the format without consuming them.
    """
    source = getattr(stream, "buffer", stream)  # sys.stdin -> its binary buffer
    first = source.read(8192)
    if isinstance(first, str):

        def read_more(n: int) -> bytes:
            return source.read(n).encode("utf-8", "surrogateescape")

        head = first.encode("utf-8", "surrogateescape")
    else:

        def read_more(n: int) -> bytes:
            return source.read(n)

        head = first or b""
    return head, io.BufferedReader(_ChainedReader(head, read_more))


def sniff_format(head: bytes) -> str:
    """Guess the format of stdin: ``{`` JSON Lines, ``<`` HTML or a feed, anything else plain text."""
    start = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith(b"<"):
        lowered = head.lower()
        return "feed" if b"<rss" in lowered or b"<feed" in lowered or b"<rdf:rdf" in lowered else "html"
    return "text"
