"""Articles, their full-text index and their mentions.

Full-text search is SQLite FTS5 (``articles_fts``, bm25 ranking) or, on PostgreSQL, a GIN index over a
``to_tsvector`` expression queried with ``plainto_tsquery``. User text never reaches FTS5 as syntax: each
word becomes a quoted phrase (a trailing ``*`` is kept as a prefix search), so ``"foo" OR (`` is just
the words foo and or.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, Engine, Select, column, func, literal_column, select, table

from ..errors import StorageError
from ..model import Article, EventMention
from . import schema
from .engine import chunks, insert_for, max_params, rows_per_statement
from .migrations import PG_TSVECTOR_SQL

_WORD = re.compile(r"\w", re.UNICODE)
_fts = table("articles_fts", column("article_id"), column("title"), column("text"))
_FTS = literal_column("articles_fts")
_PG_TSV = literal_column(PG_TSVECTOR_SQL.replace("(title", "(articles.title").replace("(text", "(articles.text"))
SNIPPET_START, SNIPPET_END, SNIPPET_ELLIPSIS = "[", "]", "…"


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def fts5_query(text: str) -> str | None:
    """A safe FTS5 query: every whitespace-separated word a quoted phrase, all required; None if empty."""
    terms = []
    for token in text.split():
        prefix = token.endswith("*")
        word = token.rstrip("*")
        if not _WORD.search(word):
            continue
        terms.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(terms) if terms else None


def fts_article_ids(text: str, dialect: str) -> Select[Any] | None:
    """A subquery of the article_ids whose title or text contains all of ``text``'s words."""
    if dialect == "sqlite":
        query = fts5_query(text)
        if query is None:
            return None
        return select(_fts.c.article_id).where(_FTS.match(query))
    if not _WORD.search(text):
        return None
    return select(schema.articles.c.article_id).where(_PG_TSV.op("@@")(func.plainto_tsquery("english", text)))


def _clean(value: str | None) -> str | None:
    # PostgreSQL text cannot hold NUL; the JSON copy keeps it (json escapes it as \u0000).
    return value.replace("\x00", "") if isinstance(value, str) else value


def insert_article(conn: Connection, article: Article) -> bool:
    """Insert the article row (and its FTS row); False if the article_id was already stored."""
    insert = insert_for(conn.dialect.name)
    # Article columns are the record itself, so only PostgreSQL (which cannot store NUL) loses anything.
    clean = _clean if conn.dialect.name == "postgresql" else (lambda v: v)
    row = {
        "article_id": article.article_id,
        "source_id": clean(article.source_id),
        "url": clean(article.url),
        "title": clean(article.title),
        "published": clean(article.published),
        "source": clean(article.source),
        "language": clean(article.language),
        "origin": clean(article.origin),
        "text": clean(article.text),
        "n_words": article.n_words,
        "ingested_at": now_iso(),
    }
    # RETURNING, not rowcount: SQLAlchemy 2.1 with psycopg reports rowcount -1 for this statement, which made a
    # duplicate look inserted on PostgreSQL. No row back means the article_id was already stored.
    stmt = insert(schema.articles).values(row).on_conflict_do_nothing().returning(schema.articles.c.article_id)
    if conn.execute(stmt).first() is None:
        return False
    if conn.dialect.name == "sqlite":
        conn.execute(_fts.insert().values(article_id=article.article_id, title=article.title, text=article.text))
    return True


def insert_rows(conn: Connection, tbl: Any, rows: list[dict[str, Any]], *, ignore_conflicts: bool = False) -> None:
    """Insert many rows: one compiled statement run as executemany, in batches sized so that a batch
    never carries more values than one statement may bind (SQLite's variable limit)."""
    if not rows:
        return
    stmt = insert_for(conn.dialect.name)(tbl)
    if ignore_conflicts:
        stmt = stmt.on_conflict_do_nothing()
    for batch in chunks(rows, rows_per_statement(conn, len(rows[0]))):
        conn.execute(stmt, batch)


def dumps(record: Any, what: str) -> str:
    """A record's JSON text; E203 if it cannot be serialised (strict JSON: no NaN or infinity)."""
    try:
        return json.dumps(record.to_dict(), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise StorageError("E203", f"{what} cannot be serialised as JSON: {exc}") from exc


def insert_mentions(conn: Connection, article_id: str, mentions: list[EventMention]) -> None:
    rows = [
        {"mention_id": m.mention_id, "article_id": article_id, "position": i, "data": dumps(m, f"mention {m.mention_id}")}
        for i, m in enumerate(mentions)
    ]
    insert_rows(conn, schema.mentions, rows)


def existing_ids(conn: Connection, ids: Iterable[str]) -> set[str]:
    found: set[str] = set()
    col = schema.articles.c.article_id
    for batch in chunks(dict.fromkeys(ids), max_params(conn)):
        found.update(conn.execute(select(col).where(col.in_(batch))).scalars())
    return found


def get_article(conn: Connection, article_id: str) -> Article | None:
    a = schema.articles.c
    row = conn.execute(select(schema.articles).where(a.article_id == article_id)).mappings().first()
    if row is None:
        return None
    fields = ("article_id", "text", "title", "url", "published", "source", "source_id", "language", "origin")
    return Article(**{f: row[f] for f in fields})


def mentions_for_article(conn: Connection, article_id: str) -> list[EventMention]:
    m = schema.mentions.c
    rows = conn.execute(select(m.data).where(m.article_id == article_id).order_by(m.position, m.mention_id))
    return [EventMention.from_dict(json.loads(data)) for data in rows.scalars()]


def iter_mentions(engine: Engine, *, batch_size: int = 1000) -> Iterator[EventMention]:
    """All mentions by (article_id, position), in keyset pages: no transaction stays open between pages."""
    m = schema.mentions.c
    last: tuple[str, int] | None = None
    while True:
        query = select(m.article_id, m.position, m.data).order_by(m.article_id, m.position).limit(batch_size)
        if last is not None:
            query = query.where(
                (m.article_id > last[0]) | ((m.article_id == last[0]) & (m.position > last[1]))
            )
        with engine.connect() as conn:
            rows = conn.execute(query).all()
        for row in rows:
            yield EventMention.from_dict(json.loads(row.data))
        if len(rows) < batch_size:
            return
        last = (rows[-1].article_id, rows[-1].position)


def search(conn: Connection, query: str, *, limit: int = 20) -> list[dict[str, Any]]:
    """Articles ranked by relevance: ``{article_id, title, snippet, score}``, higher score is better."""
    if conn.dialect.name == "sqlite":
        q = fts5_query(query)
        if q is None:
            return []
        rank = func.bm25(_FTS)
        stmt = (
            select(
                _fts.c.article_id,
                _fts.c.title,
                func.snippet(_FTS, 2, SNIPPET_START, SNIPPET_END, SNIPPET_ELLIPSIS, 12).label("snippet"),
                rank.label("rank"),
            )
            .where(_FTS.match(q))
            .order_by(rank, _fts.c.article_id)
            .limit(limit)
        )
        rows = conn.execute(stmt).all()
        return [
            {"article_id": r.article_id, "title": r.title, "snippet": r.snippet, "score": -float(r.rank)}
            for r in rows
        ]
    if not _WORD.search(query):
        return []
    a = schema.articles.c
    tsq = func.plainto_tsquery("english", query)
    rank = func.ts_rank(_PG_TSV, tsq)
    opts = f"StartSel={SNIPPET_START}, StopSel={SNIPPET_END}, FragmentDelimiter={SNIPPET_ELLIPSIS}, MaxWords=24, MinWords=8"
    stmt = (
        select(a.article_id, a.title, func.ts_headline("english", a.text, tsq, opts).label("snippet"), rank.label("rank"))
        .where(_PG_TSV.op("@@")(tsq))
        .order_by(rank.desc(), a.article_id)
        .limit(limit)
    )
    return [
        {"article_id": r.article_id, "title": r.title, "snippet": r.snippet, "score": float(r.rank)}
        for r in conn.execute(stmt).all()
    ]
