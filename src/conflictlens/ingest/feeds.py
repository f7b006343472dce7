"""RSS and Atom feeds: every entry becomes an Article (origin ``path#N`` for entry N).

feedparser parses the bytes (it never fetches anything when given bytes); entry HTML is turned into
paragraph text here, keeping block boundaries as blank lines so sentence splitting sees them.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import lxml.etree
import lxml.html

from ..errors import InputError
from ..model import Article
from .decode import bom_encoding, looks_binary
from .normalise import build_article, parse_published

_BLOCK_TAGS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr li "
    "main nav ol p pre section table tbody thead tfoot tr ul".split()
)
_DROP_TAGS = ("script", "style", "noscript", "template")
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_SPACE_AROUND_NEWLINE = re.compile(r" *\n *")


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: tags dropped, whitespace collapsed, blocks separated by blank lines."""
    if "<" not in fragment:
        return fragment
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return fragment
    for bad in root.xpath("|".join(f".//{tag}" for tag in _DROP_TAGS)):
        bad.drop_tree()
    for element in root.iter():
        if not isinstance(element.tag, str):  # comments, processing instructions
            continue
        if element.text:
            element.text = _SPACES.sub(" ", element.text)
        if element.tail:
            element.tail = _SPACES.sub(" ", element.tail)
    for element in root.iter():
        if not isinstance(element.tag, str) or element is root:
            continue
        tag = element.tag.lower()
        if tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif tag in _BLOCK_TAGS:
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
    return _SPACE_AROUND_NEWLINE.sub("\n", root.text_content())


def _entry_text(entry: Any) -> str:
    """The fullest text an entry carries: its content, else its summary (or description)."""
    candidates = [c for c in entry.get("content") or [] if c.get("value")]
    if candidates:
        chosen = max(candidates, key=lambda c: len(c["value"]))
        value, kind = chosen["value"], chosen.get("type", "text/html")
    else:
        value = entry.get("summary") or ""
        kind = (entry.get("summary_detail") or {}).get("type", "text/html")
    return value if kind == "text/plain" else html_to_text(value)


def _entry_published(entry: Any) -> str | None:
    """The entry's own date string when dateutil can read it, else feedparser's UTC reading, else raw."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if not raw:
            continue
        try:
            parse_published(raw)
            return raw
        except ValueError:
            parsed = entry.get(f"{key}_parsed")
            if parsed:
                return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", parsed)
            return raw  # build_article reports it as W101
    return None


def read_feed(data: bytes, *, path: str, origin: str, max_bytes: int) -> Iterator[Article | InputError]:
    """Each entry of an RSS/Atom feed as an Article; E109 for a broken feed with no entries."""
    if not data.strip():
        yield InputError("E102", path=path)
        return
    if bom_encoding(data) is None and looks_binary(data):
        yield InputError("E103", "NUL or control bytes in the first 8 KB", path=path)
        return
    import feedparser  # only when a feed is read

    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            problem = parsed.get("bozo_exception")
            yield InputError("E109", str(problem) if problem else None, path=path)
        elif not parsed.get("version"):
            yield InputError("E109", "not an RSS or Atom feed", path=path)
        return
    feed = parsed.get("feed") or {}
    source = feed.get("title")
    language = feed.get("language")
    for number, entry in enumerate(entries, 1):
        label = entry.get("id") or entry.get("title")
        what = f"entry {number}" + (f" ({label})" if label else "")
        meta = {
            "title": html_to_text(entry.get("title") or "") or None,
            "url": entry.get("link"),
            "published": _entry_published(entry),
            "source": source,
            "source_id": entry.get("id"),
            "language": entry.get("language") or language,
        }
        yield from build_article(
            _entry_text(entry), meta, origin=f"{origin}#{number}", path=path, max_bytes=max_bytes, what=what
        )
