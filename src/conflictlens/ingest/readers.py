"""Readers for plain text (with front matter or a headline), HTML pages and JSON / JSON Lines records.

Each reader takes raw bytes (or, for JSON Lines, a binary stream read line by line) and yields Articles and
InputErrors; none raises for bad input, so one broken file never stops a batch.
"""

from __future__ import annotations

import codecs
import io
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

import lxml.etree
import lxml.html

from ..errors import InputError
from ..model import Article
from .decode import SNIFF_BYTES, bom_encoding, decode_bytes, looks_binary
from .normalise import build_article, normalise_text

Result = Article | InputError

FRONT_MATTER_KEYS = {
    "title": "title",
    "published": "published",
    "url": "url",
    "source": "source",
    "id": "source_id",
    "language": "language",
}
HEADLINE_MAX_CHARS = 200
_SENTENCE_END = tuple(".!?\"'\u201d\u2019\u00bb\u201c\u2018\u00ab")


# --- plain text ------------------------------------------------------------------------------------------


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split ``---`` / ``key: value`` lines / ``---`` off the top of ``text``; unknown keys are ignored.

    Returns ``(metadata, body)``; without a complete front-matter block the whole text is the body.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        return {}, text
    meta: dict[str, str] = {}
    for line in lines[1:end]:
        key, sep, value = line.partition(":")
        field = FRONT_MATTER_KEYS.get(key.strip().lower())
        if not sep or field is None:
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        if value:
            meta[field] = value
    return meta, "\n".join(lines[end + 1 :])


def headline_of(normalised: str) -> str | None:
    """The first line when it reads as a headline: short, no sentence-final punctuation, then a blank line."""
    first, sep, rest = normalised.partition("\n\n")
    if not sep or not rest.strip() or "\n" in first:
        return None
    first = first.strip()
    if not first or len(first) > HEADLINE_MAX_CHARS or first.endswith(_SENTENCE_END):
        return None
    return first


def read_text(data: bytes, *, path: str, origin: str, max_bytes: int) -> Iterator[Result]:
    """A plain-text article: decoded, front matter (or a first-line headline) taken as metadata.

    A headline stays in the text, so evidence offsets into the text still cover it.
    """
    decoded = decode_bytes(data, path=path)
    if isinstance(decoded, InputError):
        yield decoded
        return
    meta, body = split_front_matter(decoded[0])
    if "title" not in meta:
        title = headline_of(normalise_text(body))
        if title is not None:
            meta["title"] = title
    yield from build_article(body, meta, origin=origin, path=path, max_bytes=max_bytes)


# --- HTML -----------------------------------------------------------------------------------------------

_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "dc.date.issued",
    "dc.date",
    "date",
)


def _decode_html(data: bytes, *, path: str) -> tuple[str, str] | InputError:
    """Decode with the charset the page declares (when it fits), else like any text file."""
    if bom_encoding(data) is None and not looks_binary(data):
        match = _DECLARED_CHARSET.search(data[:SNIFF_BYTES])
        if match:
            try:
                name = codecs.lookup(match.group(1).decode("ascii")).name
                if name in ("latin-1", "iso8859-1", "ascii"):
                    name = "cp1252"  # what browsers do, and what such pages really hold
                return data.decode(name), name
            except (LookupError, UnicodeDecodeError):
                pass
    return decode_bytes(data, path=path)


def _page_metadata(html: str) -> dict[str, str]:
    """Metadata the page states explicitly: publication time, canonical URL, site name, title, language."""
    try:
        tree = lxml.html.fromstring(_XML_DECLARATION.sub("", html, count=1))
    except (lxml.etree.ParserError, ValueError):
        return {}
    metas: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key and content and key not in metas:
            metas[key] = content
    found: dict[str, str] = {}
    published = next((metas[k] for k in _PUBLISHED_META if k in metas), None)
    if published is None:
        times = [t for t in tree.iter("time") if t.get("datetime")]
        times.sort(key=lambda t: t.get("pubdate") is None and "publish" not in (t.get("itemprop") or "").lower())
        published = times[0].get("datetime") if times else None
    if published:
        found["published"] = published
    canonical = next((link.get("href") for link in tree.iter("link")
                      if "canonical" in (link.get("rel") or "").lower().split() and link.get("href")), None)
    url = canonical or metas.get("og:url")
    if url:
        found["url"] = url.strip()
    if metas.get("og:site_name"):
        found["source"] = metas["og:site_name"]
    title = metas.get("og:title") or next((t.text_content() for t in tree.iter("title")), None)
    if title and title.strip():
        found["title"] = title.strip()
    language = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if language:
        found["language"] = language.strip()
    return found


def _main_text(html: str) -> tuple[str | None, dict[str, str]]:
    """Main text and metadata from trafilatura; no network, no date guessed from the copyright line."""
    import trafilatura  # heavy-ish import, only when an HTML page is read

    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        prune_xpath=["//nav", "//footer"],  # menus and footers are never the report, even on a bare page
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None:
        return None, {}
    meta = {"title": doc.title, "published": doc.date, "url": doc.url, "source": doc.sitename}
    # One block element per line in trafilatura's output: make paragraphs blank-line separated as in .txt.
    text = (doc.text or "").replace("\n", "\n\n")
    return text, {k: v for k, v in meta.items() if v}


def read_html(data: bytes, *, path: str, origin: str, max_bytes: int) -> Iterator[Result]:
    """An HTML page: main text, title, publication date, canonical URL and site name; E110 without text."""
    if not data.strip():
        yield InputError("E102", path=path)
        return
    decoded = _decode_html(data, path=path)
    if isinstance(decoded, InputError):
        yield decoded
        return
    html = decoded[0]
    try:
        text, extracted = _main_text(html)
    except Exception as exc:  # noqa: BLE001 - a third-party extractor failing on one page must not stop a batch
        yield InputError("E110", f"extraction failed: {type(exc).__name__}: {exc}", path=path)
        return
    if not text or not text.strip():
        yield InputError("E110", path=path)
        return
    stated = _page_metadata(html)
    # What the page states explicitly (with its time of day) wins; trafilatura's title drops site suffixes.
    meta = {**extracted, **stated}
    if extracted.get("title"):
        meta["title"] = extracted["title"]
    yield from build_article(text, meta, origin=origin, path=path, max_bytes=max_bytes)


# --- JSON and JSON Lines ---------------------------------------------------------------------------------

_STRING_FIELDS = ("url", "title", "published", "source", "language")


def record_fields(
    record: Any, *, path: str, line: int | None, what: str | None = None
) -> tuple[str, dict[str, str | None]] | InputError:
    """Validate one JSON record: an object with a string ``text``; optional string fields; ``id`` str/int."""
    if not isinstance(record, Mapping):
        return InputError("E112", what or f"got {type(record).__name__}", path=path, line=line)
    prefix = f"{what}: " if what else ""
    text = record.get("text")
    if text is None:
        return InputError("E106", what, path=path, line=line)
    if not isinstance(text, str):
        return InputError("E113", f"{prefix}'text' is {type(text).__name__}, expected string", path=path, line=line)
    meta: dict[str, str | None] = {}
    for name in _STRING_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            detail = f"{prefix}{name!r} is {type(value).__name__}, expected string"
            return InputError("E113", detail, path=path, line=line)
        meta[name] = value
    source_id = record.get("id")
    if source_id is not None:
        if isinstance(source_id, bool) or not isinstance(source_id, (str, int)):
            detail = f"{prefix}'id' is {type(source_id).__name__}, expected string or integer"
            return InputError("E113", detail, path=path, line=line)
        meta["source_id"] = str(source_id)
    return text, meta


def read_json(data: bytes, *, path: str, origin: str, max_bytes: int) -> Iterator[Result]:
    """A ``.json`` file: one object, or a list of objects (record N is named "record N", origin ``path#N``)."""
    decoded = decode_bytes(data, path=path)
    if isinstance(decoded, InputError):
        yield decoded
        return
    if not decoded[0].strip():
        yield InputError("E102", path=path)
        return
    try:
        value = json.loads(decoded[0].lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        yield InputError("E105", f"{exc.msg} at column {exc.colno}", path=path, line=exc.lineno)
        return
    records = list(enumerate(value, 1)) if isinstance(value, list) else [(None, value)]
    for number, record in records:
        what = f"record {number}" if number is not None else None
        fields = record_fields(record, path=path, line=None, what=what)
        if isinstance(fields, InputError):
            yield fields
            continue
        text, meta = fields
        record_origin = f"{origin}#{number}" if number is not None else origin
        yield from build_article(text, meta, origin=record_origin, path=path, max_bytes=max_bytes, what=what)


def _skip_rest_of_line(stream: BinaryIO) -> int:
    skipped = 0
    while True:
        chunk = stream.readline(65536)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped


def _jsonl_lines(stream: io.BufferedReader, *, path: str, max_bytes: int) -> Iterator[tuple[int, str] | InputError]:
    """Yield ``(line number, line text)`` one line at a time; a line over ``max_bytes`` gives E107."""
    head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    bom = bom_encoding(head)
    if bom in ("utf-16", "utf-32"):
        reader = io.TextIOWrapper(stream, encoding=bom)
        number = 0
        while text := reader.readline(max_bytes + 1):
            number += 1
            if len(text) > max_bytes and not text.endswith("\n"):
                while (more := reader.readline(65536)) and not more.endswith("\n"):
                    pass
                yield InputError("E107", f"over {max_bytes:,} characters on one line", path=path, line=number)
                continue
            yield number, text.lstrip("\ufeff")
        return
    if looks_binary(head):
        yield InputError("E103", "NUL or control bytes in the first 8 KB", path=path)
        return
    number = 0
    while raw := stream.readline(max_bytes + 1):
        number += 1
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            size = len(raw) + _skip_rest_of_line(stream)
            yield InputError("E107", f"{size:,} bytes on one line, limit {max_bytes:,}", path=path, line=number)
            continue
        if number == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError:
            decoded = decode_bytes(raw, path=path, line=number)
            yield decoded if isinstance(decoded, InputError) else (number, decoded[0])


def read_jsonl(stream: BinaryIO, *, path: str, origin: str, max_bytes: int) -> Iterator[Result]:
    """JSON Lines, streamed: one object per line; blank lines skipped; origin ``path:line``."""
    if not isinstance(stream, io.BufferedReader):
        stream = io.BufferedReader(stream)  # type: ignore[arg-type]
    seen_content = False
    for item in _jsonl_lines(stream, path=path, max_bytes=max_bytes):
        if isinstance(item, InputError):
            seen_content = True
            yield item
            continue
        number, line = item
        if not line.strip():
            continue
        seen_content = True
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError("E105", f"{exc.msg} at column {exc.colno}", path=path, line=number)
            continue
        fields = record_fields(record, path=path, line=number)
        if isinstance(fields, InputError):
            yield fields
            continue
        text, meta = fields
        yield from build_article(text, meta, origin=f"{origin}:{number}", path=path, line=number, max_bytes=max_bytes)
    if not seen_content:
        yield InputError("E102", path=path)
