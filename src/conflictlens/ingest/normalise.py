"""Text normalisation, article identity and the one place an ``Article`` is built from raw fields.

Identity is the text: ``article_id`` is the sha256 of the normalised text, so the same report read from two
files (or twice) gets the same id and the store can deduplicate it. Every reader hands its raw text and
metadata to :func:`build_article`, which normalises, checks emptiness and size, and parses ``published``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import warnings
from collections.abc import Iterator, Mapping
from datetime import datetime

from dateutil import parser as date_parser

from ..errors import InputError
from ..model import Article

DEFAULT_MAX_BYTES = 2_000_000

# Zero-width space/non-joiner/joiner, word joiner, BOM / zero-width no-break space, soft hyphen.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_TRAILING_SPACE = re.compile(r"[^\S\n]+(?=\n|\Z)")
_MANY_NEWLINES = re.compile(r"\n{3,}")

METADATA_FIELDS = ("title", "url", "published", "source", "source_id", "language")


def normalise_text(text: str) -> str:
    """Normalise article text: NFC, ``\\n`` line ends, no trailing spaces, at most one blank line, stripped.

    Zero-width characters and byte-order marks are removed. Offsets of every later stage point into the
    string returned here, so it must be deterministic and never depend on where the text came from.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_INVISIBLE)
    text = _TRAILING_SPACE.sub("", text)
    text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip()


def article_id_for(normalised_text: str) -> str:
    """The article id: the full sha256 hex digest of the UTF-8 bytes of already normalised text."""
    return hashlib.sha256(normalised_text.encode("utf-8")).hexdigest()


def _clean_field(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(unicodedata.normalize("NFC", str(value)).translate(_INVISIBLE).split())
    return value or None


# Two defaults that differ in every field (both leap years, so "29 Feb" parses): a field that comes out
# the same under both was given in the string; one that differs was filled in by dateutil.
_DEFAULT_A = datetime(2000, 1, 1, 0, 0, 0)
_DEFAULT_B = datetime(2004, 2, 2, 1, 1, 1)


def parse_published(value: str) -> str:
    """Parse a publication date (ISO 8601, RFC 822 feed dates, "16 December 2014", ...) to ISO.

    Returns ``YYYY-MM-DD`` when no time was given, else ``YYYY-MM-DDTHH:MM:SS`` plus the UTC offset when
    one was given. Raises ``ValueError`` for strings that are not a complete calendar date: a missing year,
    month or day is never filled in from today's date.
    """
    text = value.strip()
    if not text:
        raise ValueError("empty date")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # UnknownTimezoneWarning: the time is kept without an offset
        try:
            a = date_parser.parse(text, default=_DEFAULT_A)
            b = date_parser.parse(text, default=_DEFAULT_B)
        except (ValueError, OverflowError) as exc:
            raise ValueError(str(exc)) from None
    if (a.year, a.month, a.day) != (b.year, b.month, b.day):
        raise ValueError("incomplete date (year, month or day missing)")
    if a.hour != b.hour:  # no time of day in the string
        return a.date().isoformat()
    return a.replace(microsecond=0).isoformat()


def build_article(
    text: str,
    meta: Mapping[str, str | None],
    *,
    origin: str,
    path: str,
    line: int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    what: str | None = None,
) -> Iterator[Article | InputError]:
    """Normalise ``text`` and yield the Article (after a W101 warning for a bad date) or one error.

    ``meta`` holds the optional fields of ``METADATA_FIELDS`` as raw strings. ``what`` names the record
    in error details when there is no line number (e.g. a feed entry).
    """
    normalised = normalise_text(text)
    if not normalised:
        yield InputError("E102", what, path=path, line=line)
        return
    size = len(normalised.encode("utf-8"))
    if size > max_bytes:
        detail = f"{size:,} bytes of text, limit {max_bytes:,}"
        yield InputError("E107", f"{what}: {detail}" if what else detail, path=path, line=line)
        return
    fields = {name: _clean_field(meta.get(name)) for name in METADATA_FIELDS}
    raw_date = fields["published"]
    if raw_date is not None:
        try:
            fields["published"] = parse_published(raw_date)
        except ValueError as exc:
            detail = f"{raw_date!r}: {exc}"
            yield InputError("W101", f"{what}: {detail}" if what else detail, path=path, line=line)
            fields["published"] = None
    yield Article(article_id=article_id_for(normalised), text=normalised, origin=origin, **fields)
